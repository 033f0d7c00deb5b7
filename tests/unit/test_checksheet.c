/* test_checksheet.c - check-sheet templates in process (app/checksheet): the shipped data files
 * are valid; importing stores version 1, an unchanged file nothing, a changed file version 2;
 * a broken file is refused naming the file; the validator refuses malformed templates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/checks.h"
#include "lib/testenv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char SHEET[] =
    "{\"code\":\"t_daily\",\"recurrence\":\"daily\",\"clause\":\"R4.2\",\"name\":{\"zh-CN\":"
    "\"日检\",\"en\":\"Daily\"},\"items\":[{\"id\":\"a\",\"type\":\"pass_fail\",\"text\":"
    "{\"zh-CN\":\"甲\",\"en\":\"A\"}}]}";
static const char SHEET2[] =
    "{\"code\":\"t_daily\",\"recurrence\":\"daily\",\"clause\":\"R4.2\",\"name\":{\"zh-CN\":"
    "\"日检\",\"en\":\"Daily\"},\"items\":[{\"id\":\"a\",\"type\":\"pass_fail\",\"text\":"
    "{\"zh-CN\":\"甲\",\"en\":\"A\"}},{\"id\":\"p\",\"type\":\"reading\",\"unit\":\"MPa\","
    "\"min\":0.1,\"text\":{\"zh-CN\":\"压力\",\"en\":\"Pressure\"}}]}";

static void test_import_versions(void **state)
{
    struct testenv *e = *state;
    char dir[TMPDIR_PATH_MAX + 16], path[TMPDIR_PATH_MAX + 40], err[600] = "";
    snprintf(dir, sizeof dir, "%s/sheets", e->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/t_daily.json", dir);
    write_file(path, SHEET);
    assert_int_equal(app_check_import(&e->app, dir, err, sizeof err), 1);
    assert_int_equal(app_check_import(&e->app, dir, err, sizeof err), 0); /* unchanged */
    write_file(path, SHEET2);
    assert_int_equal(app_check_import(&e->app, dir, err, sizeof err), 1);
    json_t *list = NULL;
    assert_int_equal(app_check_template_list(&e->app, &list), 0);
    json_t *t = json_array_get(json_object_get(list, "items"), 0);
    assert_int_equal(json_integer_value(json_object_get(t, "version")), 2);
    assert_int_equal(json_array_size(json_object_get(t, "items")), 2);
    json_decref(list);
    /* Going back to the first content is not a new version either. */
    write_file(path, SHEET);
    assert_int_equal(app_check_import(&e->app, dir, err, sizeof err), 0);
    write_file(path, "{\"code\":\"t_daily\"");
    assert_int_equal(app_check_import(&e->app, dir, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "t_daily.json"));
    /* The fixture removes only its own files. */
    assert_int_equal(remove(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_shipped_sheets_are_valid(void **state)
{
    struct testenv *e = *state;
    char err[600] = "", dir[1024];
    /* The data files beside the web root, as vigild finds them ($VIGIL_WEB, else ./web). */
    const char *web = getenv("VIGIL_WEB");
    snprintf(dir, sizeof dir, "%s/../data/checksheets", web ? web : "web");
    assert_int_equal(app_check_import(&e->app, dir, err, sizeof err), 7);
}

static void refused(const char *json, const char *field)
{
    json_t *in = json_loads(json, 0, NULL), *norm = NULL;
    assert_non_null(in);
    struct app_err err = {0};
    assert_int_equal(app_check_template_validate(in, &norm, &err), -EINVAL);
    if (strncmp(err.field, field, strlen(field)) != 0)
        fail_msg("%s: field %s (%s), want %s", json, err.field, err.message, field);
    json_decref(in);
}

#define HEAD                                                                                       \
    "{\"code\":\"x\",\"recurrence\":\"daily\",\"clause\":\"R4.2\",\"name\":{\"zh-CN\":\"x\","      \
    "\"en\":\"x\"},"
#define TXT "\"text\":{\"zh-CN\":\"x\",\"en\":\"x\"}"

static void test_validation(void **state)
{
    (void)state;
    refused("{\"code\":\"X Y\"}", "code");
    refused("{\"code\":\"x\",\"recurrence\":\"hourly\"}", "recurrence");
    refused(HEAD "\"items\":[]}", "items");
    refused(HEAD "\"items\":[{\"id\":\"a\",\"type\":\"reading\"," TXT ",\"unit\":\"MPa\"}]}",
            "items[0]");
    refused(HEAD "\"items\":[{\"id\":\"a\",\"type\":\"reading\"," TXT
                 ",\"unit\":\"MPa\",\"min\":2,\"max\":1}]}",
            "items[0]");
    refused(HEAD "\"items\":[{\"id\":\"a\",\"type\":\"pass_fail\"," TXT
                 "},{\"id\":\"a\",\"type\":\"pass_fail\"," TXT "}]}",
            "items[1]");
    refused(HEAD "\"items\":[{\"id\":\"a\",\"type\":\"pass_fail\"," TXT
                 ",\"device_kind\":\"toaster\"}]}",
            "items[0]");
    refused(HEAD "\"items\":[{\"id\":\"a\",\"type\":\"pass_fail\",\"text\":{\"zh-CN\":\"x\"}}]}",
            "items[0]");
    refused(HEAD "\"items\":[{\"id\":\"a\",\"type\":\"pass_fail\"," TXT ",\"colour\":1}]}",
            "items[0]");
    refused(HEAD "\"due_days\":-1,\"items\":[{\"id\":\"a\",\"type\":\"note\"," TXT "}]}",
            "due_days");
    refused(HEAD "\"extra\":1,\"items\":[{\"id\":\"a\",\"type\":\"note\"," TXT "}]}", "extra");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_versions, testenv_setup_app, testenv_teardown),
        cmocka_unit_test_setup_teardown(test_shipped_sheets_are_valid, testenv_setup_app,
                                        testenv_teardown),
        cmocka_unit_test(test_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
