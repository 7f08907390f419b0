/**
 * The user exports IT admins have, told apart by their header row. Each names, per role, the columns that may hold
 * it (first found wins, compared without regard to case). Checked against the files the tools wrote, November 2026.
 */
export interface DirectoryFormat {
  id: 'entra' | 'ad' | 'google'
  /** How messages name the file: `an Entra ID user export`. */
  label: string
  /** The header has any of these columns (and no `email` column): this format. */
  detect: readonly string[]
  email: readonly string[]
  /** Used when the address column is empty, if it holds an address (an Entra UPN is usually the sign-in address). */
  fallbackEmail?: readonly string[]
  name?: readonly string[]
  /** Given and family name, joined, when no `name` column is there. */
  nameParts?: readonly [string, string]
  department: readonly string[]
  /** A column saying whether the account may sign in, and the values that mean it may not. */
  enabled?: { columns: readonly string[]; off: RegExp }
  /** A column saying whether the account is a guest, and the values that mean it is. */
  guest?: { columns: readonly string[]; is: RegExp }
}

/** Entra ID "Download users", Get-ADUser | Export-Csv, Google Workspace "Download users": in the order they are tried. */
export const directoryFormats: readonly DirectoryFormat[] = [
  {
    id: 'entra',
    label: 'an Entra ID user export',
    detect: ['accountEnabled', 'userType'],
    email: ['mail'],
    fallbackEmail: ['userPrincipalName'],
    name: ['displayName'],
    department: ['department'],
    enabled: { columns: ['accountEnabled'], off: /^(false|no|0)$/i },
    guest: { columns: ['userType'], is: /^guest$/i },
  },
  {
    id: 'google',
    label: 'a Google Workspace user export',
    detect: ['Email Address [Required]'],
    email: ['Email Address [Required]'],
    nameParts: ['First Name [Required]', 'Last Name [Required]'],
    department: ['Department'],
    // Suspended and archived users cannot read mail.
    enabled: { columns: ['Status [READ ONLY]'], off: /^(suspended|archived)$/i },
  },
  {
    id: 'ad',
    label: 'an Active Directory export (Get-ADUser)',
    detect: ['SamAccountName', 'DistinguishedName', 'EmailAddress', 'Enabled'],
    email: ['EmailAddress', 'mail'],
    name: ['DisplayName', 'Name'],
    department: ['Department'],
    enabled: { columns: ['Enabled'], off: /^(false|no|0)$/i },
  },
]
