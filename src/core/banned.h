/* banned.h: functions that are easy to misuse are compile errors.
 *
 * Included last by core headers, after the system headers, so that any later
 * use in Prospect's own code expands to an undeclared identifier. Use the
 * bounded alternatives: buf_*, snprintf, strtol/strtoll via str_to_*, gmtime_r.
 */
#ifndef PROSPECT_BANNED_H
#define PROSPECT_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_prospect

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef gets
#define gets(x) BANNED(gets)

#endif
