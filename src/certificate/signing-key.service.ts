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
  };
  const row = db.isTransaction
    ? await create(db)
    : await (db as Kysely<Database>).transaction().execute(create);
  return toSigningKey(ctx, row);
}

/** Every key, oldest first, public parts only; retired ones too as what they signed must verify. */
export async function listSigningKeys(db: Executor): Promise<SigningKeyInfo[]> {
  return (await listSigningKeyRows(db)).map((row) => ({
    keyId: row.id,
    algorithm: SIGNATURE_ALGORITHM,
    publicKey: row.public_key,
    createdDateTime: row.created_at,
    ...(row.retired_at === null ? {} : { retiredDateTime: row.retired_at }),
  }));
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
