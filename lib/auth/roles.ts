import { z } from 'zod';

export const teamRoles = ['owner', 'admin', 'member'] as const;
export const teamRoleSchema = z.enum(teamRoles);
export type TeamRole = z.infer<typeof teamRoleSchema>;

/** Owners and admins manage members and billing; every member may read and spend. */
export function canManageTeam(role: TeamRole): boolean {
  return role === 'owner' || role === 'admin';
}
