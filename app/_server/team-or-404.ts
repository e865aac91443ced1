import 'server-only';
import { notFound } from 'next/navigation';
import { AppError } from '@/lib/errors';

/** A team page's data, or the 404 page for a team the user is not in (it learns nothing of the team). */
export async function teamOr404<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof AppError && error.code === 'team_not_found') notFound();
    throw error;
  }
}
