import { type ContentTotals, contentTotals, createMessage, uploadFile } from "../content/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { addMs, DAY } from "../shared/clock.js";

/** How many users get content: the admin and a few others, enough to back up and erase. */
export const DEMO_CONTENT_OWNERS = 6;

const SUBJECTS = [
  "Quarterly planning",
  "Lunch on Friday?",
  "Invoice reminder",
  "Welcome to Contoso",
  "Project kickoff notes",
];

/**
 * A few messages and small files (SPEC §4) for the first `DEMO_CONTENT_OWNERS` of `ownerIds`,
 * through the content services as the operator; received over the last weeks before `end`.
 */
export async function seedDemoContent(
  ctx: AppContext,
  tenantId: string,
  domain: string,
  ownerIds: readonly string[],
  end: Date,
): Promise<ContentTotals> {
  const operator: Actor = { type: "operator" };
  const owners = ownerIds.slice(0, DEMO_CONTENT_OWNERS);
  for (const [n, userId] of owners.entries()) {
    const owner = { idOrUpn: userId };
    for (let i = 0; i < 3; i++) {
      const subject = SUBJECTS[(n + i) % SUBJECTS.length] ?? "Hello";
      await createMessage(ctx, operator, tenantId, owner, {
        subject,
        body: { contentType: "html", content: `<p>${subject}: see you soon.</p>` },
        from: { emailAddress: { address: `team@${domain}`, name: "Contoso Team" } },
        toRecipients: [{ emailAddress: { address: `all@${domain}` } }],
        receivedDateTime: addMs(end, -(n * 3 + i + 1) * DAY).toISOString(),
      });
    }
    await uploadFile(ctx, operator, tenantId, owner, {
      path: "Documents/notes.txt",
      content: Buffer.from(`Notes of user ${n + 1}\n`),
      contentType: "text/plain; charset=utf-8",
    });
    await uploadFile(ctx, operator, tenantId, owner, {
      path: "Pictures/pixel.png",
      content: Buffer.from(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
        "base64",
      ),
      contentType: "image/png",
    });
  }
  return contentTotals(ctx.db, tenantId, owners);
}
