/* assert_ext.h - assertions cmocka lacks, reporting the test's file and line on failure.
 * Include after <cmocka.h>. */
#ifndef VIGIL_TEST_ASSERT_EXT_H
#define VIGIL_TEST_ASSERT_EXT_H

#include <string.h>

/* Fails unless the string hay contains needle. */
#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        const char *hay_ = (hay), *needle_ = (needle);                                             \
        if (!hay_ || !strstr(hay_, needle_))                                                       \
            fail_msg("\"%s\" does not contain \"%s\"", hay_ ? hay_ : "(null)", needle_);           \
    } while (0)

/* Fails when the string hay contains needle. */
#define assert_not_contains(hay, needle)                                                           \
    do {                                                                                           \
        const char *hay_ = (hay), *needle_ = (needle);                                             \
        if (hay_ && strstr(hay_, needle_))                                                         \
            fail_msg("\"%s\" contains \"%s\"", hay_, needle_);                                     \
    } while (0)

#endif
