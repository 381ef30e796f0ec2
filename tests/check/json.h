/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON reader for the tests: bpfdevctl -j output is parsed, not
 * grepped. Whole documents only; numbers are integers (bpfdevctl prints no
 * others).
 */
#ifndef BPFDEV_JSON_H
#define BPFDEV_JSON_H

enum json_type { JSON_NULL, JSON_BOOL, JSON_INT, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_type type;
	long long num;		/* JSON_BOOL, JSON_INT */
	char *str;		/* JSON_STR */
	int n;			/* JSON_ARR, JSON_OBJ: members */
	char **keys;		/* JSON_OBJ */
	struct json **kids;
};

/* The document @text, or NULL if it is not exactly one JSON value. */
struct json *json_parse(const char *text);
void json_free(struct json *j);
/* A member of an object, or NULL (also for a non-object) */
const struct json *json_get(const struct json *obj, const char *key);
/* The object in array @arr whose member @key is the string @value */
const struct json *json_find(const struct json *arr, const char *key,
			     const char *value);
/* ck_assert'ed accessors: the member must be there, of that type */
long long json_int(const struct json *obj, const char *key);
const char *json_str(const struct json *obj, const char *key);

#endif
