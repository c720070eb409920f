import type { Kysely } from "kysely";
import type { AppContext } from "../shared/app-context.js";
import type { Database, Executor } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import { SIGNATURE_ALGORITHM, type SigningKey, type SigningKeyInfo } from "./certificate.js";
import { generateSigningKeyMaterial, privateKeyFromDer, publicKeyOf } from "./signing-key.js";
import {
  findCurrentSigningKeyRow,
  insertSigningKeyRow,
  listSigningKeyRows,
  lockSigningKeysForCreation,
  retireCurrentSigningKeyRows,
  type SigningKeyRow,
} from "./signing-key.repository.js";

/**
 * The installation's signing key (SPEC §6): one for every process, kept in the store with the
 * private key sealed by the master key like the TOTP secrets, created on first use.
 */

type SigningContext = Pick<AppContext, "engine" | "clock" | "secrets">;

/**
 * The current (not retired) key, created when there is none. Race-safe on both engines: creators
 * queue on a lock and the second finds the first one's key, so concurrent first uses in several
 * processes end with one current key. `db` may be a READ COMMITTED transaction (the store's
 * default), which then holds that lock until it ends, or the database (a transaction of its own).
 */
export async function ensureSigningKey(ctx: SigningContext, db: Executor): Promise<SigningKey> {
  const existing = await findCurrentSigningKeyRow(db);
  if (existing) return toSigningKey(ctx, existing);
  const create = async (trx: Executor): Promise<SigningKeyRow> => {
    await lockSigningKeysForCreation(trx, supportsRowLocks(ctx.engine));
    const created = await findCurrentSigningKeyRow(trx);
    if (created) return created;
    return insertNewSigningKey(ctx, trx);
  };
  const row = db.isTransaction
    ? await create(db)
    : await (db as Kysely<Database>).transaction().execute(create);
  return toSigningKey(ctx, row);
}

/**
 * Rotates the installation's signing key (the operator's `tenantry signing-keys rotate`): the
 * current key is retired, so it signs nothing more, and a new one becomes current. Retired keys
 * stay published (`/.well-known/tenantry-signing-keys`), so every certificate they signed still
 * verifies. Under the same lock as `ensureSigningKey`, so processes never end with two current
 * keys. Returns the new key and the ids of those retired.
 */
export async function rotateSigningKey(
  ctx: SigningContext,
  db: Kysely<Database>,
): Promise<{ current: SigningKeyInfo; retiredKeyIds: string[] }> {
  const { row, retiredKeyIds } = await db.transaction().execute(async (trx) => {
    await lockSigningKeysForCreation(trx, supportsRowLocks(ctx.engine));
    const at = ctx.clock.now().toISOString();
    const retired = await retireCurrentSigningKeyRows(trx, at);
    return { row: await insertNewSigningKey(ctx, trx), retiredKeyIds: retired };
  });
  return { current: toSigningKeyInfo(row), retiredKeyIds };
}

async function insertNewSigningKey(ctx: SigningContext, trx: Executor): Promise<SigningKeyRow> {
  const material = generateSigningKeyMaterial();
  const row: SigningKeyRow = {
    id: material.keyId,
    algorithm: SIGNATURE_ALGORITHM,
    public_key: material.publicKey,
    private_key_sealed: ctx.secrets.seal(material.privateKeyDer),
    created_at: ctx.clock.now().toISOString(),
    retired_at: null,
  };
  await insertSigningKeyRow(trx, row);
  return row;
}

/** Every key, oldest first, public parts only; retired ones too as what they signed must verify. */
export async function listSigningKeys(db: Executor): Promise<SigningKeyInfo[]> {
  return (await listSigningKeyRows(db)).map(toSigningKeyInfo);
}

function toSigningKeyInfo(row: SigningKeyRow): SigningKeyInfo {
  return {
    keyId: row.id,
    algorithm: SIGNATURE_ALGORITHM,
    publicKey: row.public_key,
    createdDateTime: row.created_at,
    ...(row.retired_at === null ? {} : { retiredDateTime: row.retired_at }),
  };
}

function toSigningKey(ctx: Pick<AppContext, "secrets">, row: SigningKeyRow): SigningKey {
  let privateKey: SigningKey["privateKey"];
  try {
    privateKey = privateKeyFromDer(ctx.secrets.open(row.private_key_sealed));
  } catch (error) {
    // Not an AppError: no caller can fix this; the operator must restore the right master key.
    throw new Error(
      `The signing key ${row.id} cannot be unsealed: is the master key (TENANTRY_SECRET_KEY or secret.key) the one this store was created with?`,
      { cause: error },
    );
  }
  if (publicKeyOf(privateKey) !== row.public_key) {
    throw new Error(`The signing key ${row.id} does not match its stored public key.`);
  }
  return {
    keyId: row.id,
    algorithm: SIGNATURE_ALGORITHM,
    publicKey: row.public_key,
    createdDateTime: row.created_at,
    privateKey,
  };
}
