/* guard.c: the address guard of fetch.h: which addresses a fetch may
 * connect to. Loopback, private, link-local (cloud metadata), CGNAT,
 * multicast, reserved and documentation ranges are refused, IPv4 and IPv6
 * (IPv4-mapped, NAT64, IPv4-compatible included). fetch.c asks it in
 * libcurl's open-socket callback, on the address actually connected to. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "fetch/fetch.h"

static bool v4_allowed(uint32_t a, bool allow_loopback)
{
    static const struct {
        uint32_t net, mask;
    } denied[] = {
        {0x00000000, 0xFF000000}, /* 0.0.0.0/8 "this network" */
        {0x0A000000, 0xFF000000}, /* 10/8 */
        {0x64400000, 0xFFC00000}, /* 100.64/10 CGNAT */
        {0xA9FE0000, 0xFFFF0000}, /* 169.254/16 link-local, cloud metadata */
        {0xAC100000, 0xFFF00000}, /* 172.16/12 */
        {0xC0000000, 0xFFFFFF00}, /* 192.0.0/24 IETF protocol assignments */
        {0xC0000200, 0xFFFFFF00}, /* 192.0.2/24 TEST-NET-1 */
        {0xC0A80000, 0xFFFF0000}, /* 192.168/16 */
        {0xC6120000, 0xFFFE0000}, /* 198.18/15 benchmarking */
        {0xC6336400, 0xFFFFFF00}, /* 198.51.100/24 TEST-NET-2 */
        {0xCB007100, 0xFFFFFF00}, /* 203.0.113/24 TEST-NET-3 */
        {0xE0000000, 0xF0000000}, /* 224/4 multicast */
        {0xF0000000, 0xF0000000}, /* 240/4 reserved, broadcast */
    };
    if ((a & 0xFF000000) == 0x7F000000) /* 127/8 */
        return allow_loopback;
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
        if ((a & denied[i].mask) == denied[i].net)
            return false;
    return true;
}

bool fetch_address_allowed(const struct sockaddr *sa, bool allow_loopback)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return v4_allowed(ntohl(in->sin_addr.s_addr), allow_loopback);
    }
    if (sa->sa_family != AF_INET6)
        return false;
    const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    static const unsigned char zero[16];
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    static const unsigned char nat64[12] = {0x00, 0x64, 0xFF, 0x9B};
    if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) /* :: and ::1 */
        return b[15] == 1 && allow_loopback;
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0 || memcmp(b, zero, 12) == 0) {
        uint32_t v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
        return v4_allowed(v4, allow_loopback); /* IPv4-mapped, NAT64, IPv4-compatible */
    }
    if ((b[0] & 0xFE) == 0xFC) /* fc00::/7 unique local (fd00:ec2::254) */
        return false;
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) /* fe80::/10 link-local */
        return false;
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) /* fec0::/10 site-local (deprecated) */
        return false;
    if (b[0] == 0xFF) /* multicast */
        return false;
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) /* documentation */
        return false;
    if (b[0] == 0x01 && b[1] == 0x00 && memcmp(b + 2, zero, 6) == 0) /* 100::/64 discard */
        return false;
    return true;
}
