import type { Command } from "commander";
import { AppError, invalid } from "../../shared/app-error.js";
import { ApiClient } from "../client/api-client.js";
import { readProfile, removeProfile, writeProfile } from "../client/profile-store.js";
import { apiClient, profileName } from "../client/session.js";
import { example } from "../command-options.js";
import { detectLocale, t } from "../i18n.js";
import { printResult, writeError, writeLine } from "../output.js";
import { promptSecret, readStdinLines } from "../prompts.js";

/** The answers of POST /auth/signin and /auth/signin/mfa (src/http/auth.routes.ts). */
interface SignInReply {
  accessToken?: string;
  expiresIn: number;
  mfaRequired?: true;
  challengeId?: string;
  mfaRegistrationRequired?: true;
  passwordChangeRequired?: true;
}

interface LoginFlags {
  url?: string;
  user: string;
  passwordStdin?: boolean;
}

/** `tenantry login|logout|whoami`: a profile's sign-in to a server (issue 8). */
export function registerLoginCommands(program: Command): void {
  example(
    program
      .command("login")
      .description(
        "sign in to a Tenantry server; prompts for the password and, when needed, a code",
      )
      .option(
        "--url <url>",
        "the server, e.g. https://admin.contoso.example (default: $TENANTRY_URL, else the profile's)",
      )
      .requiredOption("--user <upn>", "your user principal name, e.g. admin@contoso.example")
      .option("--password-stdin", "read the password (and a second line: the MFA code) from stdin"),
    "tenantry login --url http://127.0.0.1:8080 --user admin@contoso.example",
    `printf '%s\\n' "$PASSWORD" | tenantry login --user admin@contoso.example --password-stdin`,
  ).action(async (flags: LoginFlags, command: Command) => {
    const profile = profileName(command);
    // Signing in again (e.g. for a fresh sign-in before destructive work) keeps the profile's server.
    const url = flags.url || process.env.TENANTRY_URL || readProfile(profile)?.url;
    if (!url) throw invalid("URL_REQUIRED", "Give the server with --url or $TENANTRY_URL.");
    if (!/^https?:\/\/\S+$/i.test(url)) {
      throw invalid("URL_INVALID", `--url must be an http(s) URL, not "${url}".`);
    }
    const client = new ApiClient({ url, locale: detectLocale() });
    const stdin = flags.passwordStdin ? await readStdinLines() : [];
    const password =
      stdin[0] ?? (await promptSecret(t("passwordPrompt", { upn: flags.user }), "--password"));
    let reply = await client.post<SignInReply>("/auth/signin", {
      userPrincipalName: flags.user,
      password,
    });
    if (reply.mfaRequired && reply.challengeId) {
      const code = flags.passwordStdin
        ? stdin[1]
        : await promptSecret(t("totpPrompt"), "The MFA code");
      if (!code) throw invalid("MFA_CODE_REQUIRED", t("needsTty", { what: "The MFA code" }));
      reply = await client.post<SignInReply>("/auth/signin/mfa", {
        challengeId: reply.challengeId,
        code: code.trim(),
      });
    }
    if (reply.passwordChangeRequired) {
      throw new AppError(
        "Forbidden",
        "PASSWORD_CHANGE_REQUIRED",
        "Your password must be changed first: sign in to the web admin center once, then log in again.",
      );
    }
    if (reply.mfaRegistrationRequired || !reply.accessToken) {
      throw new AppError(
        "Forbidden",
        "MFA_REGISTRATION_REQUIRED",
        "Register an authenticator app in the web admin center first, then log in again.",
      );
    }
    const now = new Date();
    writeProfile(profile, {
      url,
      userPrincipalName: flags.user,
      accessToken: reply.accessToken,
      expiresDateTime: new Date(now.getTime() + reply.expiresIn * 1000).toISOString(),
      signedInDateTime: now.toISOString(),
    });
    const summary = { profile, url, userPrincipalName: flags.user, expiresIn: reply.expiresIn };
    printResult(command, summary, () =>
      writeError(t("signedIn", { url, upn: flags.user, profile })),
    );
  });

  example(
    program
      .command("logout")
      .description("sign out: revoke the profile's token on the server and forget it"),
    "tenantry logout --profile staging",
  ).action(async (_flags: unknown, command: Command) => {
    const profile = profileName(command);
    const saved = readProfile(profile);
    if (saved) {
      const client = new ApiClient({
        url: saved.url,
        token: saved.accessToken,
        locale: detectLocale(),
      });
      // An expired or revoked token is already signed out: forgetting it is all that is left.
      await client.post("/auth/signout").catch(() => undefined);
    }
    const removed = removeProfile(profile);
    printResult(command, { profile, signedOut: removed }, () =>
      writeError(t("signedOut", { profile })),
    );
  });

  example(
    program.command("whoami").description("the signed-in user (GET /v1.0/me)"),
    "tenantry whoami --json | jq -r .userPrincipalName",
  ).action(async (_flags: unknown, command: Command) => {
    const client = apiClient(command);
    const me = await client.get<{ userPrincipalName: string; displayName: string; id: string }>(
      "/v1.0/me",
    );
    printResult(command, me, () =>
      writeLine(`${me.userPrincipalName} (${me.displayName}, ${me.id}) on ${client.url}`),
    );
  });
}
