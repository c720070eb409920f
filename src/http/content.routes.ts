import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import {
  type ContentOwnerRef,
  createMessage,
  deleteDriveItem,
  DRIVE_PATH_INVALID,
  deleteMessage,
  downloadFile,
  getMessage,
  listDriveItems,
  listMessages,
  MAX_BODY_LENGTH,
  MAX_RECIPIENTS,
  MAX_SUBJECT_LENGTH,
  type MessageCursor,
  uploadFile,
} from "../content/index.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import { authenticate, requireAuth } from "./authenticate.js";
import {
  GraphDriveItemSchema,
  GraphMessageSchema,
  toGraphDriveItem,
  toGraphMessage,
} from "./graph-content.js";
import { parseTop, queryError, readQueryOptions } from "./odata/query-options.js";
import { nextLinkProperty } from "./keyset-page.js";
import { odataContext } from "./odata.js";

const DEFAULT_TOP = 10;
const MAX_TOP = 999;

const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });
const ItemParams = Type.Object({ itemId: Type.String({ minLength: 1, maxLength: 256 }) });
const ListQuery = Type.Object({
  $top: Type.Optional(Type.String({ description: "Page size, 1 to 999." })),
  $skiptoken: Type.Optional(
    Type.String({ description: "The position of the next page, from @odata.nextLink." }),
  ),
});
const Address = Type.Object({
  address: Type.String({ maxLength: 320 }),
  name: Type.Optional(Type.String({ maxLength: 256 })),
});
const CreateMessageBody = Type.Object({
  subject: Type.Optional(Type.String({ maxLength: MAX_SUBJECT_LENGTH })),
  body: Type.Optional(
    Type.Object({
      contentType: Type.Optional(Type.String({ description: "text (default) or html." })),
      content: Type.Optional(Type.String({ maxLength: MAX_BODY_LENGTH })),
    }),
  ),
  from: Type.Optional(Type.Object({ emailAddress: Address })),
  toRecipients: Type.Optional(
    Type.Array(Type.Object({ emailAddress: Address }), { maxItems: MAX_RECIPIENTS }),
  ),
  receivedDateTime: Type.Optional(
    Type.String({ description: "ISO 8601 with a zone; default now." }),
  ),
});
const Collection = (item: typeof GraphMessageSchema | typeof GraphDriveItemSchema) =>
  Type.Object({
    "@odata.context": Type.String(),
    "@odata.nextLink": Type.Optional(Type.String()),
    value: Type.Array(item),
  });

/**
 * An uploaded file's bytes. Not a plain Buffer: the card-number guard's preValidation walks a
 * parsed body's enumerable properties, which for a Buffer are its bytes (seconds for 4 MiB).
 */
class UploadedBytes {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}

/** Who owns the content a route addresses: `/users/{id}` names them, `/me` is the caller. */
interface OwnerScope {
  /** The route prefix as Fastify reads it. */
  prefix: string;
  /** The prefix as the nextLink writes it. */
  link: (request: FastifyRequest) => string;
  owner: (request: FastifyRequest) => ContentOwnerRef;
  params?: typeof UserParams;
}

const SCOPES: readonly OwnerScope[] = [
  {
    prefix: "/v1.0/users/:id",
    link: (request) => `/v1.0/users/${encodeURIComponent((request.params as { id: string }).id)}`,
    owner: (request) => ({ idOrUpn: (request.params as { id: string }).id }),
    params: UserParams,
  },
  { prefix: "/v1.0/me", link: () => "/v1.0/me", owner: () => "me" },
];

function readListQuery(request: FastifyRequest) {
  const options = readQueryOptions(request.query, ["top", "skiptoken"]);
  return { top: parseTop(options.top, DEFAULT_TOP, MAX_TOP), skiptoken: options.skiptoken };
}

function encodeToken(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

function decodeToken(token: string, length: number): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (
      Array.isArray(parts) &&
      parts.length === length &&
      parts.every((p) => typeof p === "string")
    ) {
      return parts as string[];
    }
  } catch {
    // refused below
  }
  throw queryError("skiptoken", "The $skiptoken is malformed; use the @odata.nextLink as given.");
}

function messageCursor(token: string | undefined): MessageCursor | undefined {
  if (token === undefined) return undefined;
  const [receivedAt = "", id = ""] = decodeToken(token, 2);
  return { receivedAt, id };
}

/**
 * Users' mail and files (SPEC §4) under `/v1.0/users/{id}` and `/v1.0/me`: only the owner reads or
 * writes them (SPEC §1; content.read is `self` only). Listings page with `$top`/`$skiptoken`.
 */
export function contentRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    for (const scope of SCOPES) {
      registerMessageRoutes(root, ctx, scope);
      registerDriveRoutes(root, ctx, scope);
      await root.register(uploadRoute(ctx, scope));
    }
  };
}

function registerMessageRoutes(root: FastifyInstance, ctx: AppContext, scope: OwnerScope) {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const auth = { preHandler: authenticate(ctx) };
  const params = scope.params ? { params: scope.params } : {};
  const messageParams = Type.Object({
    ...(scope.params?.properties ?? {}),
    messageId: Type.String({ minLength: 1, maxLength: 256 }),
  });
  const tags = ["mail"];

  app.get(
    `${scope.prefix}/messages`,
    {
      ...auth,
      schema: {
        summary: "List the messages of a mailbox, newest first (owner only)",
        tags,
        ...params,
        querystring: ListQuery,
        response: { 200: Collection(GraphMessageSchema) },
      },
    },
    async (request) => {
      const { actor, session } = requireAuth(request);
      const { top, skiptoken } = readListQuery(request);
      const found = await listMessages(ctx, actor, session.tenantId, scope.owner(request), {
        after: messageCursor(skiptoken),
        limit: top + 1,
      });
      const items = found.slice(0, top);
      const last = found.length > top ? items.at(-1) : undefined;
      const token = last && encodeToken([last.receivedDateTime.toISOString(), last.id]);
      return {
        "@odata.context": odataContext(request, "users('…')/messages"),
        ...nextLinkProperty(request, `${scope.link(request)}/messages`, top, token),
        value: items.map(toGraphMessage),
      };
    },
  );

  app.post(
    `${scope.prefix}/messages`,
    {
      ...auth,
      schema: {
        summary: "Add a message to a mailbox (owner only)",
        tags,
        ...params,
        body: CreateMessageBody,
        response: { 201: GraphMessageSchema },
      },
    },
    async (request, reply) => {
      const { actor, session } = requireAuth(request);
      const owner = scope.owner(request);
      const message = await createMessage(ctx, actor, session.tenantId, owner, request.body);
      return reply.status(201).send(toGraphMessage(message));
    },
  );

  app.get(
    `${scope.prefix}/messages/:messageId`,
    {
      ...auth,
      schema: {
        summary: "Get a message (owner only)",
        tags,
        params: messageParams,
        response: { 200: GraphMessageSchema },
      },
    },
    async (request) => {
      const { actor, session } = requireAuth(request);
      const { messageId } = request.params as { messageId: string };
      const owner = scope.owner(request);
      return toGraphMessage(await getMessage(ctx, actor, session.tenantId, owner, messageId));
    },
  );

  app.delete(
    `${scope.prefix}/messages/:messageId`,
    { ...auth, schema: { summary: "Delete a message (owner only)", tags, params: messageParams } },
    async (request, reply) => {
      const { actor, session } = requireAuth(request);
      const { messageId } = request.params as { messageId: string };
      await deleteMessage(ctx, actor, session.tenantId, scope.owner(request), messageId);
      return reply.status(204).send();
    },
  );
}

function registerDriveRoutes(root: FastifyInstance, ctx: AppContext, scope: OwnerScope) {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const auth = { preHandler: authenticate(ctx) };
  const params = scope.params ? { params: scope.params } : {};
  const itemParams = Type.Object({ ...(scope.params?.properties ?? {}), ...ItemParams.properties });
  const tags = ["files"];

  app.get(
    `${scope.prefix}/drive/root/children`,
    {
      ...auth,
      schema: {
        summary: "List the files of a drive in path order (owner only)",
        tags,
        ...params,
        querystring: ListQuery,
        response: { 200: Collection(GraphDriveItemSchema) },
      },
    },
    async (request) => {
      const { actor, session } = requireAuth(request);
      const { top, skiptoken } = readListQuery(request);
      const afterPath = skiptoken === undefined ? undefined : decodeToken(skiptoken, 1)[0];
      const found = await listDriveItems(ctx, actor, session.tenantId, scope.owner(request), {
        afterPath,
        limit: top + 1,
      });
      const items = found.slice(0, top);
      const last = found.length > top ? items.at(-1) : undefined;
      return {
        "@odata.context": odataContext(request, "users('…')/drive/root/children"),
        ...nextLinkProperty(
          request,
          `${scope.link(request)}/drive/root/children`,
          top,
          last && encodeToken([last.path]),
        ),
        value: items.map(toGraphDriveItem),
      };
    },
  );

  app.get(
    `${scope.prefix}/drive/items/:itemId/content`,
    {
      ...auth,
      schema: { summary: "Download a file's bytes (owner only)", tags, params: itemParams },
    },
    async (request, reply) => {
      const { actor, session } = requireAuth(request);
      const { itemId } = request.params as { itemId: string };
      const owner = scope.owner(request);
      const file = await downloadFile(ctx, actor, session.tenantId, owner, itemId);
      // Served as a download, never rendered in the API's origin (an uploaded HTML file).
      return reply
        .header("content-disposition", "attachment")
        .header("x-content-type-options", "nosniff")
        .type(file.contentType)
        .send(file.content);
    },
  );

  app.delete(
    `${scope.prefix}/drive/items/:itemId`,
    { ...auth, schema: { summary: "Delete a file (owner only)", tags, params: itemParams } },
    async (request, reply) => {
      const { actor, session } = requireAuth(request);
      const { itemId } = request.params as { itemId: string };
      await deleteDriveItem(ctx, actor, session.tenantId, scope.owner(request), itemId);
      return reply.status(204).send();
    },
  );
}

/**
 * `PUT …/drive/root:/{path}:/content`: the raw body is the file, whatever its media type. Its own
 * plugin, so the raw-body parser and the TENANTRY_MAX_FILE_BYTES body limit (413 beyond it) apply
 * to this route only. The path may hold `/`, so it is the route's wildcard, ending in `:/content`.
 */
function uploadRoute(ctx: AppContext, scope: OwnerScope): FastifyPluginAsync {
  return async (plugin) => {
    plugin.removeAllContentTypeParsers();
    plugin.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: ctx.config.maxFileBytes },
      (_request, body, done) => done(null, new UploadedBytes(body as Buffer)),
    );
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.put(
      `${scope.prefix}/drive/root::/*`,
      {
        preHandler: authenticate(ctx),
        bodyLimit: ctx.config.maxFileBytes,
        schema: {
          summary: "Upload a file by path, creating or replacing it (owner only)",
          description: `The path is followed by ':/content', e.g. root:/reports/q1.pdf:/content. At most ${ctx.config.maxFileBytes} bytes.`,
          tags: ["files"],
          response: { 200: GraphDriveItemSchema, 201: GraphDriveItemSchema },
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const path = uploadPath((request.params as { "*": string })["*"]);
        const content =
          request.body instanceof UploadedBytes ? request.body.bytes : Buffer.alloc(0);
        const contentType = request.headers["content-type"];
        const { item, created } = await uploadFile(
          ctx,
          actor,
          session.tenantId,
          scope.owner(request),
          {
            path,
            content,
            contentType,
          },
        );
        return reply.status(created ? 201 : 200).send(toGraphDriveItem(item));
      },
    );
  };
}

/** `{path}:/content` → `{path}`; anything else is not this route. */
function uploadPath(wildcard: string): string {
  const suffix = ":/content";
  if (!wildcard.endsWith(suffix)) {
    throw invalid(
      DRIVE_PATH_INVALID,
      "Upload to root:/{path}:/content, e.g. root:/notes.txt:/content.",
      {
        field: "path",
      },
    );
  }
  return wildcard.slice(0, -suffix.length);
}
