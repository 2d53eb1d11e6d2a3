// phone.cc: the C interface of phone.h over libphonenumber (C++). The only
// C++ in Prospect: the library that knows every country's numbering plan is
// worth one small shim.
#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <mutex>
#include <string>

#include "extract/phone.h"

using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

static const PhoneNumberUtil &util()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // The library logs parse failures to stderr by default; they are
        // expected here (most candidates are not phone numbers).
        PhoneNumberUtil::GetInstance()->SetLogger(new NullLogger());
    });
    return *PhoneNumberUtil::GetInstance();
}

extern "C" void phone_find(const char *text, size_t len, const char *region, phone_found_fn fn,
                           void *ctx)
{
    const PhoneNumberUtil &u = util();
    std::string s(text, len);
    PhoneNumberMatcher m(u, s, region && *region ? region : "ZZ", PhoneNumberMatcher::VALID, 1000);
    while (m.HasNext()) {
        PhoneNumberMatch match;
        if (!m.Next(&match))
            break;
        std::string e164;
        u.Format(match.number(), PhoneNumberUtil::E164, &e164);
        size_t start = (size_t)match.start();
        fn(ctx, e164.c_str(), start, start + match.raw_string().size());
    }
}

extern "C" int phone_parse(const char *s, const char *region, char out[32])
{
    const PhoneNumberUtil &u = util();
    PhoneNumber n;
    if (u.Parse(s, region && *region ? region : "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR ||
        !u.IsValidNumber(n))
        return -1;
    std::string e164;
    u.Format(n, PhoneNumberUtil::E164, &e164);
    if (e164.size() >= 32)
        return -1;
    std::memcpy(out, e164.c_str(), e164.size() + 1);
    return 0;
}

extern "C" void phone_region_of(const char *e164, char out[3])
{
    const PhoneNumberUtil &u = util();
    PhoneNumber n;
    std::string r = "ZZ";
    if (u.Parse(e164, "ZZ", &n) == PhoneNumberUtil::NO_PARSING_ERROR)
        u.GetRegionCodeForNumber(n, &r);
    if (r.size() != 2)
        r = "ZZ";
    std::memcpy(out, r.c_str(), 3);
}
