/* ids.c — random ids and hex (see ids.h). */
#include "xiaoan/ids.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void xa_random_id(char out[XA_ID_HEX])
{
    uint8_t raw[XA_ID_BYTES];
    if (sodium_init() < 0)
        abort();
    randombytes_buf(raw, sizeof raw);
    xa_hex_encode(raw, sizeof raw, out);
}

void xa_hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Value of one hex digit, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

xa_code xa_hex_decode(const char *hex, uint8_t *out, size_t n, xa_err *err)
{
    if (strlen(hex) != 2 * n)
        return xa_fail(err, XA_EFORMAT, "expected %zu hex digits", 2 * n);
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return xa_fail(err, XA_EFORMAT, "not a hex digit at position %zu", 2 * i);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return XA_OK;
}

int xa_id_valid(const char *s)
{
    if (strlen(s) != 32)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}
