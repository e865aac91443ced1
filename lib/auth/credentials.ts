import { z } from 'zod';

export const emailSchema = z.string().max(254, 'Enter a valid email address.').trim().toLowerCase().pipe(z.email('Enter a valid email address.'));

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password.'),
  next: z.string().optional(),
});

export const newPasswordSchema = z.string().min(8, 'Use at least 8 characters.').max(128, 'Use at most 128 characters.');

export const signUpSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(80, 'Use at most 80 characters.'),
  email: emailSchema,
  password: newPasswordSchema,
  next: z.string().optional(),
});

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object({
  token: z.string().min(1, 'This reset link is incomplete. Open the link from the mail again.').max(200),
  password: newPasswordSchema,
});
