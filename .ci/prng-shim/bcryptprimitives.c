/*
 * bcryptprimitives.dll shim for Wine 8.
 *
 * Go 1.24+ Windows binaries get their random numbers from
 * bcryptprimitives.dll!ProcessPrng and abort at start-up when the DLL or the
 * export is missing, which is the case in Debian 12's Wine 8. This DLL
 * exports ProcessPrng on top of advapi32's RtlGenRandom (SystemFunction036),
 * which Wine implements. Test prefixes only: never ship it.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *          bcryptprimitives.c bcryptprimitives.def -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE; /* the real ProcessPrng always returns TRUE */
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst; (void)reason; (void)reserved;
    return TRUE;
}
