// SPDX-License-Identifier: GPL-2.0
/* A small JSON reader for the tests (json.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testlib.h"

struct parser {
	const char *p;
	int bad;
};

static void ws(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static struct json *node(enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	ck_assert_ptr_nonnull(j);
	j->type = type;
	return j;
}

static char *string(struct parser *ps)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	ck_assert_ptr_nonnull(s);
	ps->p++;	/* the opening quote */
	while (*ps->p && *ps->p != '"') {
		char c = *ps->p++;

		if (c == '\\') {
			c = *ps->p++;
			if (c == 'u') {
				char hex[5] = { 0 };

				if (strlen(ps->p) < 4) {
					ps->bad = 1;
					break;
				}
				memcpy(hex, ps->p, 4);
				ps->p += 4;
				c = (char)strtol(hex, NULL, 16);
			} else if (c == 'n') {
				c = '\n';
			} else if (c == 't') {
				c = '\t';
			} else if (c != '"' && c != '\\' && c != '/') {
				ps->bad = 1;
				break;
			}
		}
		if (n + 2 > cap) {
			char *bigger = realloc(s, cap * 2);

			ck_assert_ptr_nonnull(bigger);
			s = bigger;
			cap *= 2;
		}
		s[n++] = c;
	}
	if (*ps->p != '"')
		ps->bad = 1;
	else
		ps->p++;
	s[n] = '\0';
	return s;
}

static struct json *value(struct parser *ps);

static void add(struct json *j, char *key, struct json *kid)
{
	struct json **kids = realloc(j->kids, (size_t)(j->n + 1) * sizeof(*kids));
	char **keys;

	ck_assert_ptr_nonnull(kids);
	j->kids = kids;
	keys = realloc(j->keys, (size_t)(j->n + 1) * sizeof(*keys));
	ck_assert_ptr_nonnull(keys);
	j->keys = keys;
	j->kids[j->n] = kid;
	j->keys[j->n] = key;
	j->n++;
}

static struct json *container(struct parser *ps, enum json_type type)
{
	struct json *j = node(type);
	char close = type == JSON_OBJ ? '}' : ']';

	ps->p++;
	ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return j;
	}
	for (;;) {
		char *key = NULL;

		ws(ps);
		if (type == JSON_OBJ) {
			if (*ps->p != '"') {
				ps->bad = 1;
				return j;
			}
			key = string(ps);
			ws(ps);
			if (*ps->p++ != ':') {
				ps->bad = 1;
				free(key);
				return j;
			}
		}
		add(j, key, value(ps));
		if (ps->bad)
			return j;
		ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p++ != close)
			ps->bad = 1;
		return j;
	}
}

static struct json *value(struct parser *ps)
{
	struct json *j;

	ws(ps);
	switch (*ps->p) {
	case '{':
		return container(ps, JSON_OBJ);
	case '[':
		return container(ps, JSON_ARR);
	case '"':
		j = node(JSON_STR);
		j->str = string(ps);
		return j;
	}
	if (!strncmp(ps->p, "null", 4)) {
		ps->p += 4;
		return node(JSON_NULL);
	}
	if (!strncmp(ps->p, "true", 4) || !strncmp(ps->p, "false", 5)) {
		j = node(JSON_BOOL);
		j->num = *ps->p == 't';
		ps->p += j->num ? 4 : 5;
		return j;
	}
	if (*ps->p == '-' || isdigit((unsigned char)*ps->p)) {
		char *end;

		j = node(JSON_INT);
		j->num = strtoll(ps->p, &end, 10);
		ps->p = end;
		return j;
	}
	ps->bad = 1;
	return node(JSON_NULL);
}

struct json *json_parse(const char *text)
{
	struct parser ps = { .p = text };
	struct json *j = value(&ps);

	ws(&ps);
	if (ps.bad || *ps.p) {
		json_free(j);
		return NULL;
	}
	return j;
}

void json_free(struct json *j)
{
	int i;

	if (!j)
		return;
	for (i = 0; i < j->n; i++) {
		json_free(j->kids[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->kids);
	free(j->keys);
	free(j->str);
	free(j);
}

const struct json *json_get(const struct json *obj, const char *key)
{
	int i;

	if (!obj || obj->type != JSON_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->kids[i];
	return NULL;
}

const struct json *json_find(const struct json *arr, const char *key,
			     const char *value)
{
	int i;

	if (!arr || arr->type != JSON_ARR)
		return NULL;
	for (i = 0; i < arr->n; i++) {
		const struct json *v = json_get(arr->kids[i], key);

		if (v && v->type == JSON_STR && !strcmp(v->str, value))
			return arr->kids[i];
	}
	return NULL;
}

long long json_int(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	ck_assert_msg(v && (v->type == JSON_INT || v->type == JSON_BOOL),
		      "no integer member \"%s\"", key);
	return v->num;
}

const char *json_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	ck_assert_msg(v && v->type == JSON_STR, "no string member \"%s\"", key);
	return v->str;
}
