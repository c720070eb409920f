import fs from "node:fs";
import type { Command } from "commander";
import type { Product } from "../../commerce/index.js";
import { invalid } from "../../shared/app-error.js";
import { writeError, writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

/** Money for people: whole units and cents from integer minor units, never through a float. */
function formatMoney(minor: number, currency: string): string {
  const cents = String(minor % 100).padStart(2, "0");
  return `${Math.trunc(minor / 100)}.${cents} ${currency}`;
}

/** One line per product, in columns, for `products list` without `--json`. */
function formatTable(products: readonly Product[]): string {
  const rows = [
    ["PART NUMBER", "SKU ID", "MONTHLY", "ANNUAL", "TRIAL", "NAME (en-US / zh-CN)"],
    ...products.map((p) => [
      p.skuPartNumber,
      p.skuId,
      formatMoney(p.monthlyPriceMinor, p.currency),
      formatMoney(p.annualPriceMinor, p.currency),
      p.trialDays === null ? "-" : `${p.trialDays} d`,
      `${p.displayName["en-US"]} / ${p.displayName["zh-CN"]}`,
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))))
    .map((cells) => cells.join("  "))
    .join("\n");
}

/** The product file's JSON; unreadable or malformed files are invalid input (exit 2). */
function readProductFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw invalid("PRODUCT_FILE_UNREADABLE", `Cannot read ${file} (${reason}).`, { field: "file" });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(
      "PRODUCT_FILE_INVALID",
      `${file} is not valid JSON: ${(error as Error).message}.`,
      { field: "file" },
    );
  }
}

/** `tenantry products list|add`: the catalog on the local store (operator). */
export function registerProductsCommands(program: Command): void {
  const products = program
    .command("products")
    .description("the catalog of products tenants can buy (operator, local store)");

  products
    .command("list")
    .description("list the catalog as a table; with the global --json flag, as a JSON array")
    .addHelpText("after", "\nExample:\n  tenantry products list --json")
    .action(async (_options: unknown, command: Command) => {
      const { listProducts } = await import("../../commerce/index.js");
      const catalog = await withAppContext((ctx) => listProducts(ctx.db));
      if (command.optsWithGlobals().json) writeJson(catalog);
      else process.stdout.write(`${formatTable(catalog)}\n`);
    });

  products
    .command("add")
    .description(
      "add a product from a JSON file {skuId, skuPartNumber, displayName:{en-US,zh-CN}, servicePlans:[{servicePlanId, servicePlanName, displayName}], monthlyPriceMinor, annualPriceMinor, currency, trialDays}; prints {outcome, product}",
    )
    .requiredOption("--file <path>", "the product as JSON (prices in minor units, e.g. cents)")
    .addHelpText(
      "after",
      "\nExample:\n  tenantry products add --file contoso-archive.json --replace",
    )
    .option("--replace", "replace the product with the same skuId instead of refusing it")
    .action(async (options: { file: string; replace?: boolean }) => {
      const input = readProductFile(options.file);
      const { addProduct } = await import("../../commerce/index.js");
      const result = await withAppContext(async (ctx) => {
        const added = await addProduct(ctx.db, input, {
          replace: options.replace === true,
          now: ctx.clock.now(),
        });
        ctx.log.info(
          { skuId: added.product.skuId, skuPartNumber: added.product.skuPartNumber },
          `catalog product ${added.outcome}`,
        );
        return added;
      });
      writeJson(result);
      writeError(
        `${result.outcome === "added" ? "Added" : "Replaced"} ${result.product.skuPartNumber} (${result.product.skuId}) in the catalog.`,
      );
    });
}
