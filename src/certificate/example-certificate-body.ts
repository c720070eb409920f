/**
 * A realistic deletion certificate body in the closure's shape (issue 7's contract), before
 * signing: for tests and documentation. The signer does not depend on this shape.
 */
export function exampleCertificateBody(): Record<string, unknown> {
  const step = (name: string, done: number, minute: number) => ({
    name,
    startedDateTime: `2025-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`,
    finishedDateTime: `2025-03-01T10:${String(minute).padStart(2, "0")}:30.000Z`,
    done,
  });
  return {
    version: 1,
    kind: "tenantry.deletionCertificate",
    tenantId: "0195a3c2-7d4e-7b21-9c3a-5e8f1d2b4a60",
    initialDomain: "contoso.onmicrosoft.com",
    operationId: "0195a3c9-1f00-7a8e-b6d1-2c4e6f8a0b13",
    requestedBy: "0195a3c2-7d50-7c11-8a9b-1d3f5b7c9e02",
    reason: "Moving to another provider",
    startedDateTime: "2025-03-01T10:00:00.000Z",
    completedDateTime: "2025-03-31T10:09:45.000Z",
    steps: [
      step("export", 1, 0),
      step("turnOffSync", 1, 1),
      step("deleteUsers", 24, 2),
      step("cancelSubscriptions", 3, 3),
      step("deleteDisabledSubscriptions", 3, 4),
      step("disableMfa", 2, 5),
      step("removeApplications", 4, 6),
      step("coolingOff", 1, 7),
      step("purgeRecycleBin", 24, 8),
      step("deleteTenant", 1, 9),
    ],
    erased: { app_user: 25, directory_group: 6, mail_message: 1200, subscription: 3, invoice: 17 },
    auditChainHash: "9f2b5c0e4d7a1b3c6e8f0a2d4c6e8b0a1c3e5f7092b4d6f8a0c2e4b6d8f0a1c3",
    export: {
      sha256: "3b8e1f0c9d2a4e6b8c0d2f4a6b8c0e2d4f6a8b0c2e4d6f8a0b2c4e6d8f0a2b4c",
      bytes: 482113,
    },
    signedDateTime: "2025-03-31T10:09:46.000Z",
  };
}
