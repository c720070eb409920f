import type { HTTPMethods } from "fastify";
import { assignLicense } from "../src/commerce/index.js";
import {
  addGroupMember,
  createGroup,
  deleteUser,
  type Group,
  ROLES,
  type User,
} from "../src/directory/index.js";
import { startTotpEnrolment, type TotpEnrolment } from "../src/security/index.js";
import { type ApplicationFixture, createApplicationWithSecret } from "./application-fixtures.js";
import {
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
  userActor,
} from "./directory-fixtures.js";
import {
  BILLING_PAYMENT_FOREIGN_REQUESTS,
  type BillingPaymentObjects,
  createBillingPaymentObjects,
} from "./foreign-tenant-billing-payments.js";
import {
  CONTENT_FOREIGN_REQUESTS,
  type ContentObjects,
  createContentObjects,
} from "./foreign-tenant-content.js";
import { BUSINESS_STANDARD, insertSubscription } from "./license-fixtures.js";
import { reference } from "./route-targets.js";
import { totpCode } from "./signin-fixtures.js";
import type { TestContext } from "./test-context.js";

/**
 * Tenant isolation (SPEC §2): the objects of one tenant, the rows a request could change, and
 * every request that addresses an object by id, for tests that call them with another tenant's
 * token (cross-tenant.test.ts).
 */

/** One of each kind of object a tenant holds, built as the operator. */
export interface TenantObjects {
  org: TenantFixture;
  /** A plain member of a group, with a pending authenticator app. */
  user: User;
  /** A Global Reader. */
  reader: User;
  /** A user in the recycle bin. */
  deleted: User;
  /** A group with `user` as its member. */
  group: Group;
  app: ApplicationFixture;
  totp: TotpEnrolment;
  /** An active subscription of Business Standard, whose seat `user` holds. */
  subscriptionId: string;
  /** A default card and an invoice still due. */
  billing: BillingPaymentObjects;
  /** A message and a file of `user`. */
  content: ContentObjects;
}

export async function createTenantObjects(
  t: TestContext,
  org: TenantFixture,
): Promise<TenantObjects> {
  const { user } = await createUserWithRoles(t, org, "member");
  const { user: reader } = await createUserWithRoles(t, org, "reader", ["globalReader"]);
  const { user: deleted } = await createUserWithRoles(t, org, "binned");
  await deleteUser(t, OPERATOR, org.tenantId, deleted.id);
  const group = await createGroup(t, OPERATOR, org.tenantId, { displayName: "Finance" });
  await addGroupMember(t, OPERATOR, org.tenantId, group.id, user.id);
  const app = await createApplicationWithSecret(t, org, "Payroll sync");
  const totp = await startTotpEnrolment(t, userActor(org.tenantId, user.id));
  const subscriptionId = await insertSubscription(t, org.tenantId, {
    skuId: BUSINESS_STANDARD.skuId,
    quantity: 5,
  });
  await assignLicense(t, OPERATOR, org.tenantId, user.id, {
    addLicenses: [{ skuId: BUSINESS_STANDARD.skuId }],
    removeLicenses: [],
  });
  const billing = await createBillingPaymentObjects(t, org.tenantId);
  const content = await createContentObjects(t, org, user.id);
  return { org, user, reader, deleted, group, app, totp, subscriptionId, billing, content };
}

/** Every table a request of the API can change (the audit log aside), compared row by row. */
const TABLES = [
  "tenant",
  "tenant_domain",
  "app_user",
  "role_assignment",
  "directory_group",
  "group_member",
  "application",
  "application_secret",
  "application_role_assignment",
  "totp_method",
  "recovery_code",
  "scheduled_job",
  "subscription",
  "license_assignment",
  "invoice",
  "invoice_line",
  "billing_credit",
  "billing_account",
  "payment_method",
  "payment",
  "mail_message",
  "drive_item",
] as const;

/** Every row of those tables, in a stable order: equal snapshots mean nothing changed. */
export async function snapshotRows(t: TestContext): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await t.db.selectFrom(table).selectAll().execute();
    snapshot[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

/** A request by id, built from the other tenant's objects (and the caller's own, `own`). */
export interface ForeignRequest {
  name: string;
  method: HTTPMethods;
  url: (other: TenantObjects, own: TenantObjects) => string;
  body?: (other: TenantObjects, t: TestContext) => unknown;
}

const READER_ROLE = ROLES.globalReader.roleTemplateId;
const ASSIGN_BUSINESS_STANDARD = {
  addLicenses: [{ skuId: BUSINESS_STANDARD.skuId, disabledPlans: [] }],
  removeLicenses: [],
};
const ME_METHODS = "/v1.0/me/authentication/softwareOathMethods";

function applicationRequests(key: "id" | "appId"): ForeignRequest[] {
  const base = ({ app }: TenantObjects) =>
    key === "id"
      ? `/v1.0/applications/${app.application.id}`
      : `/v1.0/applications(appId='${app.application.appId}')`;
  const by = key === "id" ? "its id" : "its appId";
  return [
    { name: `GET another tenant's application by ${by}`, method: "GET", url: base },
    {
      name: `PATCH another tenant's application by ${by}`,
      method: "PATCH",
      url: base,
      body: () => ({ displayName: "Taken over" }),
    },
    { name: `DELETE another tenant's application by ${by}`, method: "DELETE", url: base },
    {
      name: `POST addPassword to another tenant's application by ${by}`,
      method: "POST",
      url: (other) => `${base(other)}/addPassword`,
      body: () => ({}),
    },
    {
      name: `POST removePassword to another tenant's application by ${by}`,
      method: "POST",
      url: (other) => `${base(other)}/removePassword`,
      body: (other) => ({ keyId: other.app.keyId }),
    },
  ];
}

export const FOREIGN_REQUESTS: readonly ForeignRequest[] = [
  {
    name: "GET another tenant's user by id",
    method: "GET",
    url: (o) => `/v1.0/users/${o.user.id}`,
  },
  {
    name: "GET another tenant's user by userPrincipalName",
    method: "GET",
    url: (o) => `/v1.0/users/${o.user.userPrincipalName}`,
  },
  {
    name: "PATCH another tenant's user",
    method: "PATCH",
    url: (o) => `/v1.0/users/${o.user.id}`,
    body: () => ({ displayName: "Taken over", accountEnabled: false }),
  },
  {
    name: "DELETE another tenant's user",
    method: "DELETE",
    url: (o) => `/v1.0/users/${o.user.id}`,
  },
  {
    name: "DELETE another tenant's Global Administrator",
    method: "DELETE",
    url: (o) => `/v1.0/users/${o.org.admin.id}`,
  },
  {
    name: "GET another tenant's user's MFA requirements",
    method: "GET",
    url: (o) => `/v1.0/users/${o.user.id}/authentication/requirements`,
  },
  {
    name: "PATCH another tenant's user's MFA requirements",
    method: "PATCH",
    url: (o) => `/v1.0/users/${o.user.id}/authentication/requirements`,
    body: () => ({ perUserMfaState: "enforced" }),
  },
  {
    name: "DELETE another tenant's user's MFA methods",
    method: "DELETE",
    url: (o) => `/v1.0/users/${o.user.id}/authentication/methods`,
  },
  {
    name: "GET another tenant's deleted user",
    method: "GET",
    url: (o) => `/v1.0/directory/deletedItems/${o.deleted.id}`,
  },
  {
    name: "POST restore of another tenant's deleted user",
    method: "POST",
    url: (o) => `/v1.0/directory/deletedItems/${o.deleted.id}/restore`,
  },
  {
    name: "DELETE (purge) another tenant's deleted user",
    method: "DELETE",
    url: (o) => `/v1.0/directory/deletedItems/${o.deleted.id}`,
  },
  { name: "GET another tenant's group", method: "GET", url: (o) => `/v1.0/groups/${o.group.id}` },
  {
    name: "PATCH another tenant's group",
    method: "PATCH",
    url: (o) => `/v1.0/groups/${o.group.id}`,
    body: () => ({ description: "Taken over" }),
  },
  {
    name: "DELETE another tenant's group",
    method: "DELETE",
    url: (o) => `/v1.0/groups/${o.group.id}`,
  },
  {
    name: "GET another tenant's group's members",
    method: "GET",
    url: (o) => `/v1.0/groups/${o.group.id}/members`,
  },
  {
    name: "POST a member $ref to another tenant's group",
    method: "POST",
    url: (o) => `/v1.0/groups/${o.group.id}/members/$ref`,
    body: (o) => reference(o.reader.id),
  },
  {
    name: "POST another tenant's user as a member $ref of the caller's own group",
    method: "POST",
    url: (_, own) => `/v1.0/groups/${own.group.id}/members/$ref`,
    body: (o) => reference(o.user.id),
  },
  {
    name: "DELETE a member $ref of another tenant's group",
    method: "DELETE",
    url: (o) => `/v1.0/groups/${o.group.id}/members/${o.user.id}/$ref`,
  },
  {
    name: "GET another tenant's organization",
    method: "GET",
    url: (o) => `/v1.0/organization/${o.org.tenantId}`,
  },
  {
    name: "PATCH another tenant's organization's displayName",
    method: "PATCH",
    url: (o) => `/v1.0/organization/${o.org.tenantId}`,
    body: () => ({ displayName: "Taken over" }),
  },
  {
    name: "PATCH another tenant's organization's directory sync off",
    method: "PATCH",
    url: (o) => `/v1.0/organization/${o.org.tenantId}`,
    body: () => ({ onPremisesSyncEnabled: false }),
  },
  {
    name: "POST another tenant's user as a directory role member $ref",
    method: "POST",
    url: () => `/v1.0/directoryRoles/${READER_ROLE}/members/$ref`,
    body: (o) => reference(o.user.id),
  },
  {
    name: "DELETE another tenant's user's directory role member $ref",
    method: "DELETE",
    url: (o) => `/v1.0/directoryRoles/${READER_ROLE}/members/${o.reader.id}/$ref`,
  },
  ...applicationRequests("id"),
  ...applicationRequests("appId"),
  {
    name: "POST verify of another tenant's user's authenticator app",
    method: "POST",
    url: (o) => `${ME_METHODS}/${o.totp.id}/verify`,
    body: (o, t) => ({ code: totpCode(t, o.totp.secretKey) }),
  },
  {
    name: "DELETE another tenant's user's authenticator app",
    method: "DELETE",
    url: (o) => `${ME_METHODS}/${o.totp.id}`,
  },
  // Licensing (SPEC §3).
  {
    name: "POST assignLicense to another tenant's user",
    method: "POST",
    url: (o) => `/v1.0/users/${o.user.id}/assignLicense`,
    body: () => ASSIGN_BUSINESS_STANDARD,
  },
  {
    name: "POST assignLicense removing another tenant's user's license",
    method: "POST",
    url: (o) => `/v1.0/users/${o.user.id}/assignLicense`,
    body: () => ({ addLicenses: [], removeLicenses: [BUSINESS_STANDARD.skuId] }),
  },
  {
    name: "GET another tenant's user's licenseDetails",
    method: "GET",
    url: (o) => `/v1.0/users/${o.user.id}/licenseDetails`,
  },
  {
    name: "GET another tenant's subscribedSku",
    method: "GET",
    url: (o) => `/v1.0/subscribedSkus/${o.org.tenantId}_${BUSINESS_STANDARD.skuId}`,
  },
  {
    name: "GET another tenant's subscription (companySubscription) by id",
    method: "GET",
    url: (o) => `/v1.0/directory/subscriptions/${o.subscriptionId}`,
  },
  {
    name: "GET another tenant's subscription (companySubscription) by commerceSubscriptionId",
    method: "GET",
    url: (o) => `/v1.0/directory/subscriptions(commerceSubscriptionId='${o.subscriptionId}')`,
  },
  // Subscriptions (SPEC §3).
  {
    name: "GET another tenant's billing subscription",
    method: "GET",
    url: (o) => `/v1.0/billing/subscriptions/${o.subscriptionId}`,
  },
  {
    name: "PATCH the seats of another tenant's billing subscription",
    method: "PATCH",
    url: (o) => `/v1.0/billing/subscriptions/${o.subscriptionId}`,
    body: () => ({ quantity: 9, autoRenew: false }),
  },
  {
    name: "POST cancel of another tenant's billing subscription",
    method: "POST",
    url: (o) => `/v1.0/billing/subscriptions/${o.subscriptionId}/cancel`,
    body: () => ({ reason: "other", when: "now" }),
  },
  {
    name: "DELETE another tenant's billing subscription",
    method: "DELETE",
    url: (o) => `/v1.0/billing/subscriptions/${o.subscriptionId}?confirm=true`,
  },
  {
    name: "POST reactivate of another tenant's billing subscription",
    method: "POST",
    url: (o) => `/v1.0/billing/subscriptions/${o.subscriptionId}/reactivate`,
    body: () => ({}),
  },
  // Payment methods and invoices (SPEC §3).
  ...BILLING_PAYMENT_FOREIGN_REQUESTS,
  // Users' content (SPEC §4).
  ...CONTENT_FOREIGN_REQUESTS,
];
