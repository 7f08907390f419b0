/** A person to reach, with the links a page or an email gives them. */
export interface ContactLinks {
  name: string
  email: string
  /** `mailto:` link of `email`, safe to put in an `href`. */
  mailto: string
  phone?: string
  /** `tel:` link of `phone`. */
  tel?: string
}

/** A contact as written (name, email, phone) with its `mailto:` and `tel:` links. */
export function contactLinks(contact: { name: string; email: string; phone?: string }): ContactLinks {
  return { ...contact, mailto: mailtoUrl(contact.email), tel: contact.phone && telUrl(contact.phone) }
}

/**
 * `mailto:` link of an address. Characters that mean something in a mailto URL (`?`, `&`, `#`, `%`, `:`) are
 * percent-encoded (RFC 6068 §2), so an address can add no subject, recipient or body and never reads as another scheme.
 */
export function mailtoUrl(address: string): string {
  const at = address.lastIndexOf('@')
  return `mailto:${encodeURIComponent(address.slice(0, at))}@${encodeURIComponent(address.slice(at + 1))}`
}

/** `+44 (0)113 496 0000` → `tel:+441134960000` (RFC 3966): digits and a leading +; the national `(0)` goes after a country code. */
export function telUrl(phone: string): string {
  const international = phone.trim().startsWith('+')
  const digits = (international ? phone.replace(/\(0\)/g, '') : phone).replace(/[^\d]/g, '')
  return `tel:${international ? '+' : ''}${digits}`
}
