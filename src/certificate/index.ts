export { canonicalJson } from "./canonical-json.js";
export {
  CERTIFICATE_ERROR,
  type CertificateVerification,
  SIGNATURE_ALGORITHM,
  SIGNING_KEYS_PATH,
  type SignedCertificate,
  type SigningKey,
  type SigningKeyInfo,
  type TrustedKey,
  type VerifyCertificateOptions,
} from "./certificate.js";
export { signCertificate } from "./certificate.service.js";
export { verifyCertificate } from "./certificate-signature.js";
export { ensureSigningKey, listSigningKeys, rotateSigningKey } from "./signing-key.service.js";
