import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { ProductTable } from "./commerce.table.js";

export type ProductRow = Selectable<ProductTable>;

/** Every product, by part number (a stable order for listings). */
export async function listProductRows(db: Executor): Promise<ProductRow[]> {
  return db.selectFrom("product").selectAll().orderBy("sku_part_number").execute();
}

export async function findProductRowBySkuId(
  db: Executor,
  skuId: string,
): Promise<ProductRow | undefined> {
  return db.selectFrom("product").selectAll().where("sku_id", "=", skuId).executeTakeFirst();
}

/** Part numbers are stored upper case (product.ts checks `^[A-Z0-9_]+$`), so this is exact. */
export async function findProductRowByPartNumber(
  db: Executor,
  skuPartNumber: string,
): Promise<ProductRow | undefined> {
  return db
    .selectFrom("product")
    .selectAll()
    .where("sku_part_number", "=", skuPartNumber)
    .executeTakeFirst();
}

export async function insertProductRow(db: Executor, row: Insertable<ProductTable>): Promise<void> {
  await db.insertInto("product").values(row).execute();
}

/** Replaces everything but the key and the creation time. */
export async function updateProductRow(
  db: Executor,
  skuId: string,
  row: Omit<Insertable<ProductTable>, "sku_id" | "created_at">,
): Promise<void> {
  await db.updateTable("product").set(row).where("sku_id", "=", skuId).execute();
}
