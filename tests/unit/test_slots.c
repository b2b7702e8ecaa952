/*
 * test_slots - the open-addressing index of viz/slots.h: entries put one
 * by one (rebuilt at twice the size before half full) and after a rebuild
 * are each found on their probe sequence, with colliding hashes too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "viz/slots.h"

/* Keys of the entries; KEY % 7 as the hash makes long collision runs. */
static uint64_t keys[5000];

static uint64_t hash_at(const void *arg, size_t i)
{
	const uint64_t *k = arg;

	return k[i] % 7;
}

/* Index + 1 of KEY in the table, or 0. */
static uint32_t find(const uint32_t *slots, size_t nslots, uint64_t key)
{
	size_t s = (key % 7) & (nslots - 1);

	while (slots[s]) {
		if (keys[slots[s] - 1] == key)
			return slots[s];
		s = (s + 1) & (nslots - 1);
	}
	return 0;
}

static void test_grow_and_find(void **state)
{
	uint32_t *slots = NULL;
	size_t nslots = 0, n;

	for (n = 0; n < 1000; n++) {
		keys[n] = n * 1000003ull;
		if ((n + 1) * 2 > nslots)
			assert_int_equal(slots_rebuild(&slots, &nslots, 16, n, hash_at, keys), 0);
		slots[slots_free(slots, nslots, hash_at(keys, n))] = n + 1;
	}
	assert_int_equal(nslots, 2048);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(find(slots, nslots, keys[i]), i + 1);
	assert_int_equal(find(slots, nslots, 5), 0);
	/* A rebuild of a full array keeps every entry. */
	assert_int_equal(slots_rebuild(&slots, &nslots, 16, n, hash_at, keys), 0);
	assert_int_equal(nslots, 4096);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(find(slots, nslots, keys[i]), i + 1);
	free(slots);
}

static void test_first_size(void **state)
{
	uint32_t *slots = NULL;
	size_t nslots = 0;

	assert_int_equal(slots_rebuild(&slots, &nslots, 256, 0, hash_at, keys), 0);
	assert_int_equal(nslots, 256);
	for (size_t i = 0; i < nslots; i++)
		assert_int_equal(slots[i], 0);
	free(slots);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_and_find),
		cmocka_unit_test(test_first_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
