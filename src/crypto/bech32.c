/* bech32.c — BIP 173 Bech32 without the length limit (for age keys).
 *
 * Owns the checksum (polymod over the expanded hrp and the 5-bit groups),
 * the 8→5 / 5→8 bit conversion and the strict decoding rules.  Every
 * temporary array is wiped because identities pass through here. */
#include "xiaoan/bech32.h"

#include "xiaoan/mem.h"

#include <sodium.h>
#include <string.h>

static const char CHARSET[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/* One step of the BCH checksum. */
static uint32_t polymod_step(uint32_t chk, uint8_t v)
{
    static const uint32_t GEN[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; i++)
        if ((top >> i) & 1)
            chk ^= GEN[i];
    return chk;
}

/* The checksum state after the expanded (lowercase) hrp. */
static uint32_t polymod_hrp(const char *hrp, size_t hrplen)
{
    uint32_t chk = 1;
    for (size_t i = 0; i < hrplen; i++) {
        unsigned char c = (unsigned char)hrp[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        chk = polymod_step(chk, c >> 5);
    }
    chk = polymod_step(chk, 0);
    for (size_t i = 0; i < hrplen; i++) {
        unsigned char c = (unsigned char)hrp[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        chk = polymod_step(chk, c & 31);
    }
    return chk;
}

/* hrp + "1" + ceil(8·len/5) data characters + 6 checksum characters + NUL. */
size_t xa_bech32_encoded_size(size_t hrplen, size_t len)
{
    return hrplen + 1 + (len * 8 + 4) / 5 + 6 + 1;
}

/* Encode bytes as hrp ‖ "1" ‖ 5-bit groups ‖ 6-char checksum. */
xa_code xa_bech32_encode(const char *hrp, const uint8_t *data, size_t len, int upper, char *out,
                         size_t outmax, xa_err *err)
{
    size_t hrplen = strlen(hrp);
    if (hrplen == 0)
        return xa_fail(err, XA_EUSAGE, "bech32: empty human-readable part");
    for (size_t i = 0; i < hrplen; i++) {
        unsigned char c = (unsigned char)hrp[i];
        if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z'))
            return xa_fail(err, XA_EUSAGE, "bech32: bad character in human-readable part");
    }
    if (outmax < xa_bech32_encoded_size(hrplen, len))
        return xa_fail(err, XA_EUSAGE, "bech32: output buffer too small");

    size_t o = 0;
    memcpy(out, hrp, hrplen);
    o = hrplen;
    out[o++] = '1';
    uint32_t chk = polymod_hrp(hrp, hrplen);
    uint32_t acc = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            uint8_t v = (acc >> bits) & 31;
            chk = polymod_step(chk, v);
            out[o++] = CHARSET[v];
        }
        acc &= (1u << bits) - 1;
    }
    if (bits) {
        uint8_t v = (uint8_t)((acc << (5 - bits)) & 31);
        chk = polymod_step(chk, v);
        out[o++] = CHARSET[v];
    }
    sodium_memzero(&acc, sizeof acc);
    for (int i = 0; i < 6; i++)
        chk = polymod_step(chk, 0);
    chk ^= 1;
    for (int i = 0; i < 6; i++)
        out[o++] = CHARSET[(chk >> (5 * (5 - i))) & 31];
    out[o] = '\0';
    if (upper)
        for (size_t i = 0; i < o; i++)
            if (out[i] >= 'a' && out[i] <= 'z')
                out[i] = (char)(out[i] - 'a' + 'A');
    return XA_OK;
}

/* The 5-bit value of a data character (either case), or -1. */
static int charset_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (char)(c - 'A' + 'a');
    const char *p = c ? strchr(CHARSET, c) : NULL;
    return p ? (int)(p - CHARSET) : -1;
}

/* Strict decode: case, alphabet, checksum, then 5→8 bits without padding. */
xa_code xa_bech32_decode(const char *s, char *hrp, size_t hrpmax, uint8_t *out, size_t outmax,
                         size_t *outlen, xa_err *err)
{
    size_t len = strlen(s);
    int lower = 0, upper = 0;
    size_t sep = (size_t)-1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 33 || c > 126)
            return xa_fail(err, XA_EFORMAT, "bech32: character out of range at position %zu",
                           i + 1);
        if (c >= 'a' && c <= 'z')
            lower = 1;
        if (c >= 'A' && c <= 'Z')
            upper = 1;
        if (c == '1')
            sep = i;
    }
    if (lower && upper)
        return xa_fail(err, XA_EFORMAT, "bech32: mixed upper and lower case");
    if (sep == (size_t)-1)
        return xa_fail(err, XA_EFORMAT, "bech32: no separator");
    if (sep == 0)
        return xa_fail(err, XA_EFORMAT, "bech32: empty human-readable part");
    size_t ndata = len - sep - 1;
    if (ndata < 6)
        return xa_fail(err, XA_EFORMAT, "bech32: checksum too short");
    if (sep + 1 > hrpmax)
        return xa_fail(err, XA_ELIMIT, "bech32: human-readable part too long");

    xa_code rc = XA_OK;
    size_t o = 0;
    uint32_t acc = 0;
    unsigned bits = 0;
    uint8_t *v = xa_malloc(ndata);
    uint32_t chk = polymod_hrp(s, sep);
    for (size_t i = 0; i < ndata; i++) {
        int x = charset_value(s[sep + 1 + i]);
        if (x < 0) {
            rc = xa_fail(err, XA_EFORMAT, "bech32: invalid data character at position %zu",
                         sep + 2 + i);
            goto done;
        }
        v[i] = (uint8_t)x;
        chk = polymod_step(chk, v[i]);
    }
    if (chk != 1) {
        rc = xa_fail(err, XA_EFORMAT, "bech32: bad checksum");
        goto done;
    }

    for (size_t i = 0; i < ndata - 6; i++) {
        acc = ((acc << 5) | v[i]) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (o >= outmax) {
                rc = xa_fail(err, XA_ELIMIT, "bech32: data too long");
                goto done;
            }
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    if (bits >= 5) {
        rc = xa_fail(err, XA_EFORMAT, "bech32: too many padding bits");
        goto done;
    }
    if (acc & ((1u << bits) - 1)) {
        rc = xa_fail(err, XA_EFORMAT, "bech32: non-zero padding bits");
        goto done;
    }
    memcpy(hrp, s, sep);
    hrp[sep] = '\0';
    *outlen = o;
done:
    sodium_memzero(&acc, sizeof acc);
    sodium_memzero(v, ndata);
    free(v);
    if (rc != XA_OK && o)
        sodium_memzero(out, o); /* no half-decoded key left behind */
    return rc;
}
