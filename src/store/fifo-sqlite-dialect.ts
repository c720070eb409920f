import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  SqliteDialect,
  type TransactionSettings,
} from "kysely";

/**
 * A waiting line for the single SQLite connection, served in arrival order. Releasing hands the
 * connection straight to the next waiter, so nobody can overtake the queue and each release
 * wakes exactly one waiter.
 */
export class FifoLock {
  #held = false;
  readonly #waiters: Array<() => void> = [];

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }

  get waiting(): number {
    return this.#waiters.length;
  }
}

/**
 * Kysely's SQLite driver guards its one connection with a lock that a newcomer may take between a
 * release and the wake-up of those already waiting, and every release wakes all of them. Under
 * concurrent requests that starves some queries for a second and more while others go ahead.
 * This driver puts the FIFO lock in front, so Kysely's own lock is never contended, and begins
 * transactions with the write lock; everything else is Kysely's driver unchanged.
 */
class FifoSqliteDriver implements Driver {
  readonly #inner: Driver;
  readonly #lock = new FifoLock();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    try {
      return await this.#inner.acquireConnection();
    } catch (error) {
      this.#lock.release();
      throw error;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.releaseConnection(connection);
    } finally {
      this.#lock.release();
    }
  }

  /**
   * `BEGIN IMMEDIATE` takes the write lock up front. Several processes on one file (`--workers`,
   * a CLI beside the server) then wait for each other through `busy_timeout` instead of one of
   * them failing with SQLITE_BUSY when it first writes after reading an older snapshot.
   */
  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings) {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    return required(this.#inner.savepoint).call(this.#inner, connection, name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    return required(this.#inner.rollbackToSavepoint).call(this.#inner, connection, name, compile);
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    return required(this.#inner.releaseSavepoint).call(this.#inner, connection, name, compile);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

function required<T>(method: T | undefined): T {
  if (method === undefined) throw new Error("The SQLite driver has no savepoints.");
  return method;
}

/** Kysely's SQLite dialect, connection waits served first come, first served. */
export class FifoSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    return new FifoSqliteDriver(super.createDriver());
  }
}
