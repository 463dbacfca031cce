/** Whether a qualified name is a pysnmp class, wherever pysnmp exports it from (`hlapi`, `hlapi.v3arch.asyncio`, `cmdgen`, ...). */
export function isPysnmpClass(qualifiedName: string | undefined, className: string): boolean {
  return (
    qualifiedName !== undefined &&
    qualifiedName.startsWith('pysnmp.') &&
    qualifiedName.endsWith(`.${className}`)
  );
}
