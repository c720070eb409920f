/**
 * The CLI's own messages in en-US and zh-CN (issue 8). The locale is Chinese when the POSIX locale
 * (`LC_ALL`, else `LC_MESSAGES`, else `LANG`) starts with `zh`, e.g. `LANG=zh_CN.UTF-8`; en-US
 * otherwise. Server messages come in the same language where the API offers it
 * (`Accept-Language`, see client/api-client.ts). Codes (UPPER_SNAKE) are never translated.
 */
export type CliLocale = "en-US" | "zh-CN";

export function detectLocale(env: NodeJS.ProcessEnv = process.env): CliLocale {
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return raw.toLowerCase().startsWith("zh") ? "zh-CN" : "en-US";
}

const EN = {
  signedIn: "Signed in to {url} as {upn} (profile {profile}).",
  signedOut: "Signed out (profile {profile}).",
  notSignedIn: "Not signed in: run `tenantry login --url URL --user UPN` (profile {profile}).",
  passwordPrompt: "Password for {upn}:",
  totpPrompt: "Authentication code (6 digits) or recovery code:",
  needsTty:
    "{what} needs a terminal to prompt; use --password-stdin (password, then the code, one per line).",
  confirmPrompt: "{action} Continue?",
  needsYes: "{action} Refusing without --yes when not on a terminal.",
  declined: "Nothing was changed.",
  dryRun: "Dry run: nothing was changed.",
  itemsDone: "{ok} done, {failed} failed, {skipped} skipped.",
  partial: "{failed} of {total} items failed; see the per-item results.",
  allFailed: "Every item failed; see the per-item results.",
  progress: "{label}: {done}/{total}",
  notYourself: "{upn} is not the signed-in user ({me}); nothing was deleted.",
  notGlobalAdmin: "{upn} is not a Global Administrator; nothing was deleted.",
  confirmDeleteUsers: "This deletes {count} users (all except {upn}).",
  confirmPurgeUsers: "This purges every user in the recycle bin for good ({count}).",
  confirmDeleteCsv: "This deletes {count} users listed in {file}.",
  confirmCancelSubscriptions: "This cancels {count} subscriptions now.",
  confirmDeleteSubscriptions: "This deletes {count} disabled subscriptions.",
  confirmDisableMfa: "This turns per-user MFA off for everyone except {upn} ({count} users).",
  confirmDeleteTenant:
    "This deletes the organization {domain} and erases all its data. It cannot be undone.",
  confirmStartClosure:
    "This starts closing the organization {domain}: after the cooling-off period, everything is erased.",
  confirmGeneric: "This changes {what}.",
  syncTurningOff: "Directory sync is turning off; it completes at {when}.",
  syncOff: "Directory sync is off.",
  checksFailed: "{count} deletion checks failed.",
  checksPassed: "Every deletion check passed.",
  exportSaved: "Saved the export to {file} ({bytes} bytes).",
  closureState: "Closure {id}: {state}, step {step}.",
  waiting: "Waiting: {what}",
  none: "(none)",
  deletingUsers: "Deleting users",
  purgingUsers: "Purging users",
  deletingAllExcept: "Deleting {count} users…",
  deletingAllExceptAndPurging: "Deleting {count} users and purging the recycle bin…",
  wouldDo: "would {verb} {what}",
  coolingOffEnds: "The cooling-off period ends at {when}.",
  auditIntact: "Audit chain intact: {entries} entries.",
} as const;

export type MessageKey = keyof typeof EN;

const ZH: Readonly<Record<MessageKey, string>> = {
  signedIn: "已以 {upn} 身份登录 {url}（配置 {profile}）。",
  signedOut: "已注销（配置 {profile}）。",
  notSignedIn: "尚未登录：请运行 `tenantry login --url URL --user UPN`（配置 {profile}）。",
  passwordPrompt: "{upn} 的密码：",
  totpPrompt: "验证码（6 位数字）或恢复代码：",
  needsTty: "{what} 需要终端来提示输入；请使用 --password-stdin（每行一项：密码，然后是验证码）。",
  confirmPrompt: "{action} 是否继续？",
  needsYes: "{action} 不在终端上时，没有 --yes 将拒绝执行。",
  declined: "未做任何更改。",
  dryRun: "试运行：未做任何更改。",
  itemsDone: "{ok} 项完成，{failed} 项失败，{skipped} 项跳过。",
  partial: "{total} 项中有 {failed} 项失败；请查看每项的结果。",
  allFailed: "所有项均失败；请查看每项的结果。",
  progress: "{label}：{done}/{total}",
  notYourself: "{upn} 不是当前登录的用户（{me}）；未删除任何内容。",
  notGlobalAdmin: "{upn} 不是全局管理员；未删除任何内容。",
  confirmDeleteUsers: "这将删除 {count} 个用户（{upn} 除外）。",
  confirmPurgeUsers: "这将永久删除回收站中的所有用户（{count} 个）。",
  confirmDeleteCsv: "这将删除 {file} 中列出的 {count} 个用户。",
  confirmCancelSubscriptions: "这将立即取消 {count} 个订阅。",
  confirmDeleteSubscriptions: "这将删除 {count} 个已禁用的订阅。",
  confirmDisableMfa: "这将为除 {upn} 以外的所有人关闭每用户 MFA（{count} 个用户）。",
  confirmDeleteTenant: "这将删除组织 {domain} 并清除其所有数据。此操作无法撤消。",
  confirmStartClosure: "这将开始关闭组织 {domain}：冷静期结束后，所有数据都将被清除。",
  confirmGeneric: "这将更改 {what}。",
  syncTurningOff: "目录同步正在关闭；将于 {when} 完成。",
  syncOff: "目录同步已关闭。",
  checksFailed: "{count} 项删除检查未通过。",
  checksPassed: "所有删除检查均已通过。",
  exportSaved: "已将导出保存到 {file}（{bytes} 字节）。",
  closureState: "关闭操作 {id}：{state}，步骤 {step}。",
  waiting: "正在等待：{what}",
  none: "（无）",
  deletingUsers: "正在删除用户",
  purgingUsers: "正在永久删除用户",
  deletingAllExcept: "正在删除 {count} 个用户…",
  deletingAllExceptAndPurging: "正在删除 {count} 个用户并清空回收站…",
  wouldDo: "将{verb} {what}",
  coolingOffEnds: "冷静期于 {when} 结束。",
  auditIntact: "审核链完整：{entries} 条记录。",
};

/** The message `key` in the current locale, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = detectLocale() === "zh-CN" ? ZH[key] : EN[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
