import type { Db } from '../../db';
import { canManageTeam } from '../auth/roles';
import { getTeamRole } from '../auth/teams';
import { AppError } from '../errors';
import type { CustomerRef } from '../payments/customer-ref';

/**
 * Who may do what with a customer's items and billing, in one place:
 * - a user acts for itself; another user's id is "not found";
 * - any team member may read and spend a team's items; a non-member gets "not found";
 * - only owners and admins may buy for a team or manage its billing;
 * - custom customers (a fork's own ids) are server-only: no signed-in user acts for one.
 */
export type CustomerAction = 'read' | 'spend' | 'buy' | 'manage';

export async function authorizeCustomer(db: Db, userId: string, customer: CustomerRef, action: CustomerAction): Promise<void> {
  if (customer.type === 'user') {
    if (customer.id !== userId) throw new AppError('not_found', 'Customer not found.');
    return;
  }
  if (customer.type === 'custom') throw new AppError('not_found', 'Customer not found.');
  const role = await getTeamRole(db, customer.id, userId);
  if ((action === 'buy' || action === 'manage') && !canManageTeam(role)) {
    throw new AppError('forbidden', 'Only team owners and admins can buy for the team or manage its billing.');
  }
}

/** The same rule as a yes/no, for pages that answer "not found" instead of an error. */
export async function canAccessCustomer(db: Db, userId: string, customer: CustomerRef, action: CustomerAction): Promise<boolean> {
  try {
    await authorizeCustomer(db, userId, customer, action);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}
