export { type BuildServerOptions, buildServer } from "./build-server.js";
export { type GraphErrorBody, sendGraphError, statusForKind } from "./error-handler.js";
export {
  type StartServerOptions,
  serverUrl,
  startServer,
  type TlsOptions,
} from "./start-server.js";
