# The module options of bpfdev(4)'s EXAMPLES, as a C table for the tests:
# one row per .EX block that sets options, each "name=value", NULL-ended.
/^\.SH / { in_ex = ($2 == "EXAMPLES") }
in_ex && /^\.EX/ { n = 0 }
in_ex && /^options bpfdev / { opts[n++] = $3 }
in_ex && /^\.EE/ && n {
	row = "\t{"
	for (i = 0; i < n; i++)
		row = row " \"" opts[i] "\","
	rows = rows row " NULL },\n"
	n = 0
}
END {
	print "/* Generated from man/bpfdev.4 by man_examples.awk: do not edit. */"
	print "static const char *const man_examples[][8] = {"
	printf "%s", rows
	print "};"
}
