import type { Language } from "../shared/language.js";

/**
 * The words of the closure checks, in the admin center's two languages (SPEC §7: zh-CN and
 * en-US; the seed is zh-CN). One place, so the API, the CLI and the web wizard say the same.
 */

export type ClosureLanguage = Language;

/** The facts a check's wording may name. */
export interface CheckTextFacts {
  count: number;
  otherUsers: number;
  deletedUsers: number;
  syncTurningOffUntil: Date | null;
  activeSubscriptions: number;
  balance: string;
}

interface CheckText {
  title: string;
  passed: (f: CheckTextFacts) => string;
  failed: (f: CheckTextFacts) => string;
}

/** The checks in the seed's order (SPEC §6). */
export const CLOSURE_CHECK_IDS = [
  "callerIsGlobalAdministrator",
  "noOtherUsers",
  "syncOff",
  "noApplications",
  "subscriptionsDeprovisioned",
  "noUnpaidBalance",
  "mfaOff",
] as const;
export type ClosureCheckId = (typeof CLOSURE_CHECK_IDS)[number];

const day = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16)}Z` : "");

export const CHECK_TEXTS: Record<ClosureCheckId, Record<ClosureLanguage, CheckText>> = {
  callerIsGlobalAdministrator: {
    "en-US": {
      title: "You are a Global Administrator",
      passed: () => "You are signed in as a Global Administrator of this organization.",
      failed: () =>
        "Only a Global Administrator of this organization can delete it. Sign in with a Global Administrator account.",
    },
    "zh-CN": {
      title: "你是全局管理员",
      passed: () => "你已使用此组织的全局管理员帐户登录。",
      failed: () => "只有此组织的全局管理员才能删除它。请使用全局管理员帐户登录。",
    },
  },
  noOtherUsers: {
    "en-US": {
      title: "Delete all users except you",
      passed: () => "No users remain except you, and the deleted users list is empty.",
      failed: (f) =>
        `${f.otherUsers} users besides you still exist and ${f.deletedUsers} deleted users are still in the recycle bin. Delete all users except you, then permanently delete them from Deleted users.`,
    },
    "zh-CN": {
      title: "删除除你以外的所有用户",
      passed: () => "除你之外没有其他用户，且“已删除的用户”列表为空。",
      failed: (f) =>
        `除你之外还有 ${f.otherUsers} 个用户，回收站中还有 ${f.deletedUsers} 个已删除的用户。请删除除你以外的所有用户，然后在“已删除的用户”中将其永久删除。`,
    },
  },
  syncOff: {
    "en-US": {
      title: "Directory synchronization is off",
      passed: () => "Directory synchronization is off.",
      failed: (f) =>
        f.syncTurningOffUntil
          ? `Directory synchronization is turning off; this completes at ${day(f.syncTurningOffUntil)} and cannot be cancelled. Wait until then.`
          : "Directory synchronization is on. Turn it off first: synced users can only be deleted at the source while it is on.",
    },
    "zh-CN": {
      title: "目录同步已关闭",
      passed: () => "目录同步已关闭。",
      failed: (f) =>
        f.syncTurningOffUntil
          ? `目录同步正在关闭，将于 ${day(f.syncTurningOffUntil)} 完成，且无法取消。请等到那时。`
          : "目录同步已开启。请先将其关闭：同步开启期间，同步的用户只能在本地目录中删除。",
    },
  },
  noApplications: {
    "en-US": {
      title: "Remove all applications",
      passed: () => "No applications are registered.",
      failed: (f) => `${f.count} applications are registered. Delete them under Applications.`,
    },
    "zh-CN": {
      title: "删除所有应用程序",
      passed: () => "没有已注册的应用程序。",
      failed: (f) => `还有 ${f.count} 个已注册的应用程序。请在“应用程序”中将其删除。`,
    },
  },
  subscriptionsDeprovisioned: {
    "en-US": {
      title: "Delete all subscriptions",
      passed: () => "Every subscription is deprovisioned.",
      failed: (f) =>
        f.activeSubscriptions > 0
          ? `${f.count} subscriptions are not deprovisioned yet, ${f.activeSubscriptions} of them active. Cancel all active subscriptions, then delete the disabled ones.`
          : `${f.count} subscriptions are not deprovisioned yet. Delete the disabled subscriptions; the deleted ones are deprovisioned after a delay.`,
    },
    "zh-CN": {
      title: "删除所有订阅",
      passed: () => "所有订阅均已取消预配。",
      failed: (f) =>
        f.activeSubscriptions > 0
          ? `还有 ${f.count} 个订阅尚未取消预配，其中 ${f.activeSubscriptions} 个处于活动状态。请取消所有活动订阅，然后删除已禁用的订阅。`
          : `还有 ${f.count} 个订阅尚未取消预配。请删除已禁用的订阅；删除后的订阅将在一段时间后取消预配。`,
    },
  },
  noUnpaidBalance: {
    "en-US": {
      title: "Pay the balance due",
      passed: () => "Nothing is owed.",
      failed: (f) =>
        `${f.count} invoices are unpaid (${f.balance} due). Pay them under Bills & payments.`,
    },
    "zh-CN": {
      title: "支付应付余额",
      passed: () => "没有应付款项。",
      failed: (f) => `有 ${f.count} 张发票未支付（应付 ${f.balance}）。请在“账单和付款”中支付。`,
    },
  },
  mfaOff: {
    "en-US": {
      title: "Turn off multifactor authentication",
      passed: () => "Per-user multifactor authentication is off for everyone except you.",
      failed: (f) =>
        `Per-user multifactor authentication is still on for ${f.count} users besides you. Disable it for all accounts except yours.`,
    },
    "zh-CN": {
      title: "禁用多重身份验证",
      passed: () => "除你之外，所有帐户的每用户多重身份验证均已禁用。",
      failed: (f) =>
        `除你之外，仍有 ${f.count} 个帐户启用了每用户多重身份验证。请禁用除你的帐户之外的所有帐户。`,
    },
  },
};

/** An amount in minor units as people read it, e.g. "USD 12.50". */
export function formatMoney(amountMinor: number, currency: string): string {
  return `${currency} ${(amountMinor / 100).toFixed(2)}`;
}
