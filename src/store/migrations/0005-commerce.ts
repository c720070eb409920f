import type { Kysely } from "kysely";
import type { Engine } from "../engine.js";

/** The catalog, subscriptions, licenses, payment methods, invoices and credits (SPEC §3). */
export function commerceMigration(_engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("product")
        .addColumn("sku_id", "text", (c) => c.primaryKey())
        .addColumn("sku_part_number", "text", (c) => c.notNull().unique())
        .addColumn("display_name_en", "text", (c) => c.notNull())
        .addColumn("display_name_zh", "text", (c) => c.notNull())
        .addColumn("service_plans", "text", (c) => c.notNull())
        .addColumn("monthly_price_minor", "integer", (c) => c.notNull())
        .addColumn("annual_price_minor", "integer", (c) => c.notNull())
        .addColumn("currency", "text", (c) => c.notNull())
        .addColumn("trial_days", "integer")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("billing_account")
        .addColumn("tenant_id", "text", (c) => c.primaryKey().references("tenant.id"))
        .addColumn("next_invoice_number", "integer", (c) => c.notNull())
        .addColumn("currency", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("payment_method")
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenant.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("brand", "text", (c) => c.notNull())
        .addColumn("last4", "text", (c) => c.notNull())
        .addColumn("exp_month", "integer", (c) => c.notNull())
        .addColumn("exp_year", "integer", (c) => c.notNull())
        .addColumn("holder_name", "text", (c) => c.notNull())
        .addColumn("token", "text", (c) => c.notNull())
        .addColumn("is_default", "boolean", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("payment_method_pk", ["tenant_id", "id"])
        .execute();

      await db.schema
        .createTable("subscription")
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenant.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("sku_id", "text", (c) => c.notNull().references("product.sku_id"))
        .addColumn("quantity", "integer", (c) => c.notNull())
        .addColumn("billing_model", "text", (c) => c.notNull())
        .addColumn("term", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("is_trial", "boolean", (c) => c.notNull())
        .addColumn("auto_renew", "boolean", (c) => c.notNull())
        .addColumn("start_at", "text", (c) => c.notNull())
        .addColumn("period_start_at", "text", (c) => c.notNull())
        .addColumn("period_end_at", "text", (c) => c.notNull())
        .addColumn("status_changed_at", "text", (c) => c.notNull())
        .addColumn("next_lifecycle_at", "text")
        .addColumn("cancelled_at", "text")
        .addColumn("cancel_reason", "text")
        .addColumn("cancel_feedback", "text")
        .addColumn("marked_for_deletion_at", "text")
        .addColumn("deprovision_at", "text")
        .addColumn("payment_method_id", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("subscription_pk", ["tenant_id", "id"])
        .execute();
      await db.schema
        .createIndex("subscription_sku_idx")
        .on("subscription")
        .columns(["tenant_id", "sku_id", "status"])
        .execute();

      await db.schema
        .createTable("license_assignment")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("sku_id", "text", (c) => c.notNull().references("product.sku_id"))
        .addColumn("disabled_plans", "text", (c) => c.notNull())
        .addColumn("assigned_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("license_assignment_pk", ["tenant_id", "user_id", "sku_id"])
        .addForeignKeyConstraint(
          "license_assignment_user_fk",
          ["tenant_id", "user_id"],
          "app_user",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      await db.schema
        .createIndex("license_assignment_sku_idx")
        .on("license_assignment")
        .columns(["tenant_id", "sku_id"])
        .execute();

      await db.schema
        .createTable("invoice")
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenant.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("issued_at", "text", (c) => c.notNull())
        .addColumn("period_start_at", "text", (c) => c.notNull())
        .addColumn("period_end_at", "text", (c) => c.notNull())
        .addColumn("due_at", "text", (c) => c.notNull())
        .addColumn("currency", "text", (c) => c.notNull())
        .addColumn("total_minor", "integer", (c) => c.notNull())
        .addColumn("paid_minor", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("paid_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("invoice_pk", ["tenant_id", "id"])
        .addUniqueConstraint("invoice_number_unique", ["tenant_id", "number"])
        .execute();

      await db.schema
        .createTable("invoice_line")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("invoice_id", "text", (c) => c.notNull())
        .addColumn("line_no", "integer", (c) => c.notNull())
        .addColumn("subscription_id", "text")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("quantity", "integer", (c) => c.notNull())
        .addColumn("unit_price_minor", "integer", (c) => c.notNull())
        .addColumn("amount_minor", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("invoice_line_pk", ["tenant_id", "invoice_id", "line_no"])
        .addForeignKeyConstraint(
          "invoice_line_invoice_fk",
          ["tenant_id", "invoice_id"],
          "invoice",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();

      await db.schema
        .createTable("payment")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("invoice_id", "text", (c) => c.notNull())
        .addColumn("payment_method_id", "text")
        .addColumn("amount_minor", "integer", (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("reference", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("payment_pk", ["tenant_id", "id"])
        .addForeignKeyConstraint(
          "payment_invoice_fk",
          ["tenant_id", "invoice_id"],
          "invoice",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();

      await db.schema
        .createTable("billing_credit")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("subscription_id", "text", (c) => c.notNull())
        .addColumn("amount_minor", "integer", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("applied_invoice_id", "text")
        .addPrimaryKeyConstraint("billing_credit_pk", ["tenant_id", "id"])
        .addForeignKeyConstraint(
          "billing_credit_subscription_fk",
          ["tenant_id", "subscription_id"],
          "subscription",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
    },
  };
}
