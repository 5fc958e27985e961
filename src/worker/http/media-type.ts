/** `type/subtype` of a Content-Type header, lower-cased, parameters dropped; null when absent. */
export function mediaTypeOf(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return essence.length > 0 ? essence : null;
}
