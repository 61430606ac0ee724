export const USER_KINDS = ['PERSON', 'ORGANIZATION'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const SELF_REGISTER_ROLES = ['INVESTOR', 'FOUNDER'] as const;

export type IdKind = 'RIC' | 'USCC';
