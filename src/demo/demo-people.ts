/** Names for the demo tenant: Microsoft's own demo cast for the admins, common names for the rest. */
export const DEMO_ADMINS = [
  { alias: "megan.bowen", displayName: "Megan Bowen", role: "globalAdministrator" },
  { alias: "alex.wilber", displayName: "Alex Wilber", role: "billingAdministrator" },
  { alias: "patti.fernandez", displayName: "Patti Fernandez", role: "userAdministrator" },
  { alias: "lynne.robbins", displayName: "Lynne Robbins", role: "authenticationAdministrator" },
  {
    alias: "isaiah.langer",
    displayName: "Isaiah Langer",
    role: "privilegedAuthenticationAdministrator",
  },
  { alias: "johanna.lorenz", displayName: "Johanna Lorenz", role: "privilegedRoleAdministrator" },
  { alias: "nestor.wilke", displayName: "Nestor Wilke", role: "globalReader" },
] as const;

export const FIRST_NAMES = [
  "Aaliyah",
  "Adrian",
  "Aiko",
  "Amara",
  "Ana",
  "Andrei",
  "Anika",
  "Arjun",
  "Beatriz",
  "Ben",
  "Carlos",
  "Chen",
  "Chloe",
  "Daniel",
  "Dmitri",
  "Elena",
  "Emeka",
  "Emma",
  "Fatima",
  "Felix",
  "Grace",
  "Hana",
  "Hiroshi",
  "Ines",
  "Isabel",
  "Jamal",
  "Jia",
  "Jonas",
  "Kai",
  "Kavya",
  "Lars",
  "Layla",
  "Lucas",
  "Mei",
  "Mateo",
  "Maya",
  "Mohammed",
  "Nadia",
  "Noah",
  "Olivia",
  "Omar",
  "Priya",
  "Rafael",
  "Rosa",
  "Sakura",
  "Samuel",
  "Sofia",
  "Tariq",
  "Wei",
  "Zara",
];

export const LAST_NAMES = [
  "Abara",
  "Andersson",
  "Bauer",
  "Chen",
  "Costa",
  "Dubois",
  "Eriksen",
  "Fischer",
  "Garcia",
  "Gupta",
  "Hansen",
  "Ito",
  "Jansen",
  "Kim",
  "Kowalski",
  "Li",
  "Lopez",
  "Martin",
  "Müller",
  "Nakamura",
  "Nguyen",
  "Novak",
  "Okafor",
  "Olsen",
  "Patel",
  "Petrov",
  "Quinn",
  "Rossi",
  "Santos",
  "Schmidt",
  "Silva",
  "Singh",
  "Tanaka",
  "Wang",
  "Weber",
  "Wong",
  "Yamamoto",
  "Zhang",
  "Zhou",
  "Ziegler",
];

export const DEMO_GROUPS = [
  { displayName: "Sales", description: "Account executives and sales operations" },
  { displayName: "Marketing", description: "Brand, campaigns and events" },
  { displayName: "Engineering", description: "Product development" },
  { displayName: "Finance", description: "Accounting, billing and procurement" },
  { displayName: "Human Resources", description: "People operations" },
  { displayName: "IT Operations", description: "Devices, identity and infrastructure" },
  { displayName: "Customer Support", description: "Help desk and customer success" },
  { displayName: "Legal", description: "Contracts and compliance" },
];

/** A small deterministic generator, so every demo tenant looks the same. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function asciiAlias(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}
