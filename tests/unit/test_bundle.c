/*
 * test_bundle.c - bundle_extract: good zip/tar.gz bundles land flat with the
 * right bytes; unsafe entries, conflicts, limits and damaged archives are
 * refused with their own code; nothing is ever written outside the dest dir.
 *
 * Archives are built in the test with libarchive's writer, so every odd entry
 * (absolute, "..", links, devices, backslashes) is exactly what we asked for.
 * Layout of a fixture:  ROOT/arch/<archive>  and the dest dir ROOT/d/e/f, deep
 * enough that any ".." climb still lands inside ROOT, where assert_contained()
 * sees it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "../../spool/bundle.h"

#define MiB (1024LL * 1024)

enum fmt { ZIP, TARGZ, TAR };

/* One archive member: type 'f' file, 'd' folder, 'l' symlink, 'h' hard link,
 * 'c' character device, 'b' block device, 'p' fifo.  A file with data NULL
 * is `size` zero bytes (written in chunks, so it may be huge). */
struct m {
	char type;
	const char *path;
	const char *data;
	long long size;
	const char *link;
};

struct fixture {
	char root[64];
	char arch[96];
	char dest[96];
};

static const char pdf_a[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n"
			    "\x00\x01\xff binary\r\n%%EOF\n";
static const char yaml_a[] = "schema: 1\ntype: surat_keluar\nsigner: \"197103012006042006\"\n";
static const char pdf_b[] = "%PDF-1.4\nanother document\n%%EOF\n";
static const char yaml_b[] = "schema: 1\ntype: nota_dinas\n";

/* big - 300 KiB of deterministic noise: crosses the 64 KiB copy buffer, does not compress. */
static char big[300 * 1024 + 17];

static void
fill_big(void)
{
	uint32_t x = 2463534242u;
	size_t i;

	for (i = 0; i < sizeof big; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (char)(x & 0xff);
	}
}

/* what - the entry under test, for failure messages */
static const char *what;
/* the detail of the last refusal: what the refusal report shows the PD */
static char last_detail[sizeof ((struct err *)0)->detail];

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	char p[128];

	assert_non_null(fx);
	what = NULL;
	snprintf(fx->root, sizeof fx->root, "/tmp/sertel-bundle.XXXXXX");
	assert_non_null(mkdtemp(fx->root));
	snprintf(fx->arch, sizeof fx->arch, "%s/arch", fx->root);
	assert_int_equal(mkdir(fx->arch, 0750), 0);
	snprintf(p, sizeof p, "%s/d", fx->root);
	assert_int_equal(mkdir(p, 0750), 0);
	snprintf(p, sizeof p, "%s/d/e", fx->root);
	assert_int_equal(mkdir(p, 0750), 0);
	snprintf(fx->dest, sizeof fx->dest, "%s/d/e/f", fx->root);
	assert_int_equal(mkdir(fx->dest, 0750), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->root);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* mkarchive - write ROOT/arch/name with the given members. */
static void
mkarchive(struct fixture *fx, const char *name, enum fmt fmt, const struct m *v, size_t n)
{
	static char zeros[65536];
	struct archive *a = archive_write_new();
	char path[256];
	size_t i;

	snprintf(path, sizeof path, "%s/%s", fx->arch, name);
	assert_non_null(a);
	if (fmt == ZIP) {
		assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	} else {
		assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
		if (fmt == TARGZ)
			assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	}
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *ent = archive_entry_new();
		long long size = v[i].data ? (long long)strlen(v[i].data) : v[i].size;

		if (v[i].data && v[i].size)
			size = v[i].size;	/* data with NULs: explicit size */
		archive_entry_set_pathname(ent, v[i].path);
		archive_entry_set_perm(ent, 0644);
		archive_entry_set_mtime(ent, 1764000000, 0);
		switch (v[i].type) {
		case 'f': archive_entry_set_filetype(ent, AE_IFREG); archive_entry_set_size(ent, size); break;
		case 'd': archive_entry_set_filetype(ent, AE_IFDIR); archive_entry_set_perm(ent, 0755); break;
		case 'l': archive_entry_set_filetype(ent, AE_IFLNK); archive_entry_set_symlink(ent, v[i].link); break;
		case 'h': archive_entry_set_filetype(ent, AE_IFREG); archive_entry_set_hardlink(ent, v[i].link);
			  archive_entry_set_size(ent, 0); break;
		case 'c': archive_entry_set_filetype(ent, AE_IFCHR); archive_entry_set_rdev(ent, makedev(1, 3)); break;
		case 'b': archive_entry_set_filetype(ent, AE_IFBLK); archive_entry_set_rdev(ent, makedev(8, 0)); break;
		case 'p': archive_entry_set_filetype(ent, AE_IFIFO); break;
		default: fail_msg("bad member type %c", v[i].type);
		}
		assert_int_equal(archive_write_header(a, ent), ARCHIVE_OK);
		if (v[i].type == 'f' && v[i].data) {
			assert_int_equal(archive_write_data(a, v[i].data, (size_t)size), size);
		} else if (v[i].type == 'f') {
			long long left = size;
			while (left > 0) {
				size_t k = left > (long long)sizeof zeros ? sizeof zeros : (size_t)left;
				assert_int_equal(archive_write_data(a, zeros, k), k);
				left -= (long long)k;
			}
		}
		archive_entry_free(ent);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* put_raw - write ROOT/arch/name with exactly these bytes. */
static void
put_raw(struct fixture *fx, const char *name, const void *p, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fx->arch, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* slurp - the bytes of dir/name (malloc'd) and their count. */
static char *
slurp(const char *dir, const char *name, size_t *len)
{
	char path[256], *p;
	struct stat st;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	assert_non_null(p = malloc((size_t)st.st_size + 1));
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fread(p, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*len = (size_t)st.st_size;
	return p;
}

/* extract - bundle_extract(ROOT/arch/name -> dest); returns its rc, fills e. */
static int
extract(struct fixture *fx, const char *name, long max_entries, long long max_bytes, struct err *e)
{
	struct bundle_limits lim = { max_entries, max_bytes };
	int dirfd, destfd, rc;

	memset(e, 0, sizeof *e);
	assert_true((dirfd = open(fx->arch, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0);
	assert_true((destfd = open(fx->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0);
	rc = bundle_extract(dirfd, name, destfd, &lim, e);
	close(dirfd);
	close(destfd);
	return rc;
}

/* refused - extraction fails with exactly this code. */
static void
refused(struct fixture *fx, const char *name, long max_entries, long long max_bytes,
	const char *code)
{
	struct err e;
	int rc = extract(fx, name, max_entries, max_bytes, &e);

	if (rc != -1 || !e.code)
		fail_msg("%s%s%s: accepted (rc %d), want %s", name, what ? " with " : "",
			 what ? what : "", rc, code);
	if (strcmp(e.code, code))
		fail_msg("%s: got %s (%s), want %s", name, e.code, e.detail, code);
	assert_true(e.detail[0] != '\0');
	snprintf(last_detail, sizeof last_detail, "%s", e.detail);
}

/* --- containment: walk ROOT; everything must be arch/, the dest chain or in dest */
static const char *walk_arch, *walk_dest;
static int walk_bad;

static int
walk_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t ld = strlen(walk_dest), la = strlen(walk_arch);
	(void)st;
	(void)ftw;

	if (!strncmp(path, walk_dest, ld) && (path[ld] == '\0' || path[ld] == '/'))
		return 0;
	if (!strncmp(path, walk_arch, la) && (path[la] == '\0' || path[la] == '/'))
		return 0;
	if (flag == FTW_D || flag == FTW_DP) {
		/* ROOT, ROOT/d, ROOT/d/e: the chain down to dest */
		if (!strncmp(walk_dest, path, strlen(path)) && walk_dest[strlen(path)] == '/')
			return 0;
	}
	print_error("written outside the dest dir: %s\n", path);
	walk_bad++;
	return 0;
}

static void
assert_contained(struct fixture *fx)
{
	walk_arch = fx->arch;
	walk_dest = fx->dest;
	walk_bad = 0;
	assert_int_equal(nftw(fx->root, walk_one, 16, FTW_PHYS), 0);
	assert_int_equal(walk_bad, 0);
}

/* dest_files - number of entries in dest; each must be a regular file (flat). */
static int
dest_files(struct fixture *fx)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int n = 0, dfd;

	assert_non_null(dir = opendir(fx->dest));
	dfd = dirfd(dir);
	while ((d = readdir(dir)) != NULL) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		assert_int_equal(fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW), 0);
		if (!S_ISREG(st.st_mode))
			fail_msg("dest/%s is not a regular file (mode %o)", d->d_name, st.st_mode);
		n++;
	}
	closedir(dir);
	return n;
}

/* clear_dest - empty dest for the next archive of a test (as the caller would). */
static void
clear_dest(struct fixture *fx)
{
	struct dirent *d;
	DIR *dir;

	assert_non_null(dir = opendir(fx->dest));
	while ((d = readdir(dir)) != NULL)
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			assert_int_equal(unlinkat(dirfd(dir), d->d_name, 0), 0);
	closedir(dir);
}

static void
assert_member(struct fixture *fx, const char *name, const char *want, size_t wantlen)
{
	size_t len;
	char *got = slurp(fx->dest, name, &len);

	assert_int_equal(len, wantlen);
	assert_memory_equal(got, want, wantlen);
	free(got);
}

/* --- good bundles */

static const struct m good[] = {
	{ 'f', "surat-1.pdf", pdf_a, sizeof pdf_a - 1, NULL },
	{ 'f', "surat-1.yaml", yaml_a, 0, NULL },
	{ 'f', "surat-2.pdf", pdf_b, 0, NULL },
	{ 'f', "surat-2.yaml", yaml_b, 0, NULL },
	{ 'f', "besar.pdf", big, sizeof big, NULL },
	{ 'f', "besar.yaml", yaml_a, 0, NULL },
};

static void
check_good(struct fixture *fx, const char *name)
{
	struct err e;

	assert_int_equal(extract(fx, name, 1000, 1024 * MiB, &e), 0);
	assert_null(e.code);
	assert_int_equal(dest_files(fx), 6);
	assert_member(fx, "surat-1.pdf", pdf_a, sizeof pdf_a - 1);
	assert_member(fx, "surat-1.yaml", yaml_a, strlen(yaml_a));
	assert_member(fx, "surat-2.pdf", pdf_b, strlen(pdf_b));
	assert_member(fx, "surat-2.yaml", yaml_b, strlen(yaml_b));
	assert_member(fx, "besar.pdf", big, sizeof big);
	assert_member(fx, "besar.yaml", yaml_a, strlen(yaml_a));
	assert_contained(fx);
}

static void
test_good_zip(void **state)
{
	mkarchive(*state, "kiriman.zip", ZIP, good, 6);
	check_good(*state, "kiriman.zip");
}

static void
test_good_targz(void **state)
{
	mkarchive(*state, "kiriman.tar.gz", TARGZ, good, 6);
	check_good(*state, "kiriman.tar.gz");
}

static void
test_good_tar(void **state)
{
	mkarchive(*state, "kiriman.tar", TAR, good, 6);
	check_good(*state, "kiriman.tar");
}

/* A zip made by a person: folders, members inside them; all land flat. */
static void
test_folder_flattened(void **state)
{
	struct fixture *fx = *state;
	static const struct m v[] = {
		{ 'd', "Kiriman Desember/", NULL, 0, NULL },
		{ 'd', "Kiriman Desember/bagian umum/", NULL, 0, NULL },
		{ 'f', "Kiriman Desember/bagian umum/surat-1.pdf", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', "Kiriman Desember/bagian umum/surat-1.yaml", yaml_a, 0, NULL },
		{ 'f', "./surat-2.pdf", pdf_b, 0, NULL },
		{ 'f', "lain/surat-2.yaml", yaml_b, 0, NULL },
	};
	enum fmt f;

	for (f = ZIP; f <= TARGZ; f++) {
		const char *name = f == ZIP ? "folder.zip" : "folder.tar.gz";
		struct err e;

		mkarchive(fx, name, f, v, 6);
		assert_int_equal(extract(fx, name, 1000, 1024 * MiB, &e), 0);
		assert_int_equal(dest_files(fx), 4);
		assert_member(fx, "surat-1.pdf", pdf_a, sizeof pdf_a - 1);
		assert_member(fx, "surat-1.yaml", yaml_a, strlen(yaml_a));
		assert_member(fx, "surat-2.pdf", pdf_b, strlen(pdf_b));
		assert_member(fx, "surat-2.yaml", yaml_b, strlen(yaml_b));
		assert_contained(fx);
		clear_dest(fx);
	}
}

/* --- unsafe entries: each refuses the whole archive */

/* unsafe - a good pair, then the bad entry: refused in a tar.gz, and in a zip when
 * also_zip (zip cannot carry hard links or devices). */
static void
unsafe(struct fixture *fx, const struct m *bad, int also_zip)
{
	struct m v[3] = {
		{ 'f', "ok.pdf", pdf_b, 0, NULL },
		{ 'f', "ok.yaml", yaml_b, 0, NULL },
		*bad,
	};
	enum fmt f;

	for (f = also_zip ? ZIP : TARGZ; f <= TARGZ; f++) {
		const char *name = f == ZIP ? "jahat.zip" : "jahat.tar.gz";

		mkarchive(fx, name, f, v, 3);
		what = bad->path;
		refused(fx, name, 1000, 1024 * MiB, "bundle.unsafe_entry");
		what = NULL;
		assert_contained(fx);
		clear_dest(fx);
	}
}

static void
test_absolute_path(void **state)
{
	struct fixture *fx = *state;
	char abs[128], other[128];
	struct m bad = { 'f', abs, pdf_a, sizeof pdf_a - 1, NULL };

	snprintf(abs, sizeof abs, "%s/absolut.pdf", fx->root);	/* would land in ROOT */
	unsafe(fx, &bad, 1);
	snprintf(other, sizeof other, "/tmp/sertel-bundle-abs-%d.pdf", (int)getpid());
	bad.path = other;
	unsafe(fx, &bad, 1);
	assert_int_equal(access(other, F_OK), -1);
}

static void
test_dotdot(void **state)
{
	static const struct m bad = { 'f', "../x.pdf", pdf_a, sizeof pdf_a - 1, NULL };

	unsafe(*state, &bad, 1);
	/* a refusal report's detail is Bahasa Indonesia (README, where Indonesian text lives) */
	assert_string_equal(last_detail, "entri '../x.pdf' berupa path absolut atau berisi '..'");
}

static void
test_dotdot_inside(void **state)
{
	static const struct m bad[] = {
		{ 'f', "a/../../x.pdf", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', "a/b/../../../../x.pdf", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', "a/..", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'd', "../up/", NULL, 0, NULL },	/* even a folder */
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		unsafe(*state, &bad[i], 1);
}

static void
test_symlink(void **state)
{
	static const struct m bad[] = {
		{ 'l', "tautan.pdf", NULL, 0, "/etc/passwd" },
		{ 'l', "rel.pdf", NULL, 0, "ok.pdf" },	/* even one pointing inside */
	};

	unsafe(*state, &bad[0], 1);
	unsafe(*state, &bad[1], 1);
}

static void
test_hardlink(void **state)
{
	static const struct m bad[] = {
		{ 'h', "keras.pdf", NULL, 0, "ok.pdf" },
		{ 'h', "keras2.pdf", NULL, 0, "/etc/passwd" },
	};

	unsafe(*state, &bad[0], 0);
	unsafe(*state, &bad[1], 0);
}

static void
test_devices_and_fifo(void **state)
{
	static const struct m bad[] = {
		{ 'c', "null.pdf", NULL, 0, NULL },
		{ 'b', "sda.pdf", NULL, 0, NULL },
		{ 'p', "pipa.pdf", NULL, 0, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		unsafe(*state, &bad[i], 0);
}

static void
test_hidden(void **state)
{
	static const struct m bad[] = {
		{ 'f', ".x", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', ".surat.pdf", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', "folder/.surat.yaml", yaml_a, 0, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		unsafe(*state, &bad[i], 1);
}

/* A backslash must not hide a ".." from the check.  (libarchive itself turns
 * '\\' into '/' in zip names not flagged UTF-8; bundle.c refuses any '\\' left.) */
static void
test_backslash(void **state)
{
	struct fixture *fx = *state;
	static const struct m bad[] = {
		{ 'f', "..\\x.pdf", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', "a\\..\\..\\x.pdf", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', "a/..\\..\\x.pdf", pdf_a, sizeof pdf_a - 1, NULL },
	};
	static const struct m innocent[] = {
		{ 'f', "folder\\surat.pdf", pdf_a, sizeof pdf_a - 1, NULL },
	};
	struct err e;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		unsafe(fx, &bad[i], 1);
	/* a Windows folder separator: refused in a tar, flattened or refused in a zip */
	mkarchive(fx, "win.tar.gz", TARGZ, innocent, 1);
	refused(fx, "win.tar.gz", 1000, 1024 * MiB, "bundle.unsafe_entry");
	mkarchive(fx, "win.zip", ZIP, innocent, 1);
	if (extract(fx, "win.zip", 1000, 1024 * MiB, &e) == 0) {
		assert_int_equal(dest_files(fx), 1);
		assert_member(fx, "surat.pdf", pdf_a, sizeof pdf_a - 1);
	} else {
		assert_string_equal(e.code, "bundle.unsafe_entry");
	}
	assert_contained(fx);
}

/* --- conflicts */

static void
test_conflict(void **state)
{
	struct fixture *fx = *state;
	static const struct m v[] = {
		{ 'f', "januari/surat.pdf", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', "januari/surat.yaml", yaml_a, 0, NULL },
		{ 'f', "februari/surat.pdf", pdf_b, 0, NULL },
		{ 'f', "februari/surat.yaml", yaml_b, 0, NULL },
	};
	static const struct m same[] = {
		{ 'f', "surat.pdf", pdf_a, sizeof pdf_a - 1, NULL },
		{ 'f', "surat.pdf", pdf_b, 0, NULL },
	};

	mkarchive(fx, "bentrok.zip", ZIP, v, 4);
	refused(fx, "bentrok.zip", 1000, 1024 * MiB, "bundle.conflict");
	/* the first of the two was not overwritten by the second */
	assert_member(fx, "surat.pdf", pdf_a, sizeof pdf_a - 1);
	assert_contained(fx);
	clear_dest(fx);

	mkarchive(fx, "sama.tar.gz", TARGZ, same, 2);
	refused(fx, "sama.tar.gz", 1000, 1024 * MiB, "bundle.conflict");
	assert_member(fx, "surat.pdf", pdf_a, sizeof pdf_a - 1);
	assert_contained(fx);
}

/* --- limits */

static void
test_entry_limit(void **state)
{
	struct fixture *fx = *state;
	struct err e;

	mkarchive(fx, "empat.zip", ZIP, good, 4);
	assert_int_equal(extract(fx, "empat.zip", 4, 1024 * MiB, &e), 0);	/* exactly the limit */
	clear_dest(fx);
	refused(fx, "empat.zip", 3, 1024 * MiB, "bundle.limit");
	assert_true(dest_files(fx) <= 3);
	assert_contained(fx);

	/* folders are entries too */
	{
		static const struct m v[] = {
			{ 'd', "a/", NULL, 0, NULL }, { 'd', "b/", NULL, 0, NULL },
			{ 'd', "c/", NULL, 0, NULL }, { 'f', "a/x.pdf", pdf_b, 0, NULL },
		};
		clear_dest(fx);
		mkarchive(fx, "folder.tar.gz", TARGZ, v, 4);
		refused(fx, "folder.tar.gz", 3, 1024 * MiB, "bundle.limit");
		assert_int_equal(dest_files(fx), 0);
		assert_contained(fx);
	}
}

/* A bomb: 50 MiB of zeros compresses to a few dozen KiB; with a 1 MiB limit
 * extraction must stop at the limit, not after writing 50 MiB. */
static void
bomb(struct fixture *fx, enum fmt f, const char *name)
{
	struct m v[] = {
		{ 'f', "bom.yaml", yaml_a, 0, NULL },
		{ 'f', "bom.pdf", NULL, 50 * MiB, NULL },
	};
	char path[256];
	struct stat st;

	mkarchive(fx, name, f, v, 2);
	snprintf(path, sizeof path, "%s/%s", fx->arch, name);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size < 1 * MiB);	/* it really is a bomb */
	refused(fx, name, 1000, 1 * MiB, "bundle.limit");
	snprintf(path, sizeof path, "%s/bom.pdf", fx->dest);
	if (stat(path, &st) == 0 && st.st_size > 1 * MiB + 65536)
		fail_msg("%s: %lld bytes written with a 1 MiB limit", name, (long long)st.st_size);
	assert_contained(fx);
}

static void
test_byte_limit_zip(void **state)
{
	bomb(*state, ZIP, "bom.zip");
}

static void
test_byte_limit_targz(void **state)
{
	bomb(*state, TARGZ, "bom.tar.gz");
}

static void
test_byte_limit_edges(void **state)
{
	struct fixture *fx = *state;
	static const struct m exact[] = {
		{ 'f', "pas.pdf", NULL, 1 * MiB, NULL },
	};
	static const struct m spread[] = {	/* under the limit each, over it together */
		{ 'f', "a.pdf", NULL, 600 * 1024, NULL },
		{ 'f', "b.pdf", NULL, 600 * 1024, NULL },
	};
	struct err e;
	char path[256];
	struct stat st;

	mkarchive(fx, "pas.zip", ZIP, exact, 1);
	assert_int_equal(extract(fx, "pas.zip", 1000, 1 * MiB, &e), 0);
	snprintf(path, sizeof path, "%s/pas.pdf", fx->dest);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 1 * MiB);
	unlink(path);

	mkarchive(fx, "dua.tar.gz", TARGZ, spread, 2);
	refused(fx, "dua.tar.gz", 1000, 1 * MiB, "bundle.limit");
	assert_contained(fx);
}

/* --- damaged archives */

static void
test_truncated(void **state)
{
	struct fixture *fx = *state;
	const char *names[] = { "utuh.zip", "utuh.tar.gz" };
	size_t len, i;
	char *p;

	mkarchive(fx, names[0], ZIP, good, 6);
	mkarchive(fx, names[1], TARGZ, good, 6);
	for (i = 0; i < 2; i++) {
		char cut[32];
		p = slurp(fx->arch, names[i], &len);
		snprintf(cut, sizeof cut, "potong-%zu%s", i, i ? ".tar.gz" : ".zip");
		put_raw(fx, cut, p, len / 2);	/* cut in the middle of besar.pdf's data */
		refused(fx, cut, 1000, 1024 * MiB, "bundle.corrupt");
		assert_contained(fx);
		clear_dest(fx);
		free(p);
	}
}

/* Damaged, not truncated: a zip member's CRC-32 and a tar header's checksum
 * catch it.  (A byte changed inside a .tar.gz's stored data is NOT caught:
 * libarchive 3.6 does not check the gzip trailer's CRC, and tar has no data
 * checksum; the paraf's SHA-256 refuses such a PDF later.) */
static void
test_damaged(void **state)
{
	struct fixture *fx = *state;
	size_t len, hdr;
	char *p;

	mkarchive(fx, "utuh.zip", ZIP, good, 6);
	p = slurp(fx->arch, "utuh.zip", &len);
	p[len / 2] ^= 0x55;	/* inside besar.pdf's (stored, incompressible) data */
	p[len / 2 + 1] ^= 0x55;
	put_raw(fx, "rusak.zip", p, len);
	free(p);
	refused(fx, "rusak.zip", 1000, 1024 * MiB, "bundle.corrupt");
	assert_contained(fx);
	clear_dest(fx);

	mkarchive(fx, "utuh.tar", TAR, good, 6);
	p = slurp(fx->arch, "utuh.tar", &len);
	hdr = 512 + (sizeof pdf_a - 1 + 511) / 512 * 512;	/* surat-1.yaml's header */
	assert_memory_equal(p + hdr, "surat-1.yaml", 12);
	p[hdr + 1] ^= 0x20;
	put_raw(fx, "rusak.tar", p, len);
	free(p);
	refused(fx, "rusak.tar", 1000, 1024 * MiB, "bundle.corrupt");
	assert_contained(fx);
}

static void
test_not_an_archive(void **state)
{
	struct fixture *fx = *state;

	put_raw(fx, "bukan.zip", "hello, this is a text file\n", 27);
	refused(fx, "bukan.zip", 1000, 1024 * MiB, "bundle.corrupt");
	put_raw(fx, "surat.tar.gz", pdf_a, sizeof pdf_a - 1);
	refused(fx, "surat.tar.gz", 1000, 1024 * MiB, "bundle.corrupt");
	put_raw(fx, "kosong.zip", "", 0);
	refused(fx, "kosong.zip", 1000, 1024 * MiB, "bundle.corrupt");
	assert_int_equal(dest_files(fx), 0);
	assert_contained(fx);
}

static void
test_empty_archive(void **state)
{
	struct fixture *fx = *state;

	mkarchive(fx, "kosong.zip", ZIP, NULL, 0);
	refused(fx, "kosong.zip", 1000, 1024 * MiB, "bundle.corrupt");
	mkarchive(fx, "kosong.tar.gz", TARGZ, NULL, 0);
	refused(fx, "kosong.tar.gz", 1000, 1024 * MiB, "bundle.corrupt");
	mkarchive(fx, "kosong.tar", TAR, NULL, 0);
	refused(fx, "kosong.tar", 1000, 1024 * MiB, "bundle.corrupt");
	assert_int_equal(dest_files(fx), 0);
	assert_contained(fx);
}

/* A member name with non-ASCII characters (a zip with the UTF-8 flag, as
 * Windows and Python write it; a POSIX/pax tar, as GNU tar --format=posix and
 * Python write it) is an ordinary, intact archive and must be unpacked, in
 * any locale (sertel runs in "C", where libarchive warns that it cannot
 * convert the name). */
static void
test_utf8_member_name(void **state)
{
	struct fixture *fx = *state;
	const char *name = "Undangan Rapat \xe2\x80\x93 Desember";	/* U+2013 EN DASH */
	char cmd[1024], pdf[128], yaml[128];
	struct err e;

	snprintf(cmd, sizeof cmd, "cd '%s' && python3 -c '"
		 "import io, sys, tarfile, zipfile\n"
		 "n = [\"Undangan Rapat \\u2013 Desember.pdf\", \"Undangan Rapat \\u2013 Desember.yaml\"]\n"
		 "d = [sys.argv[1].encode(), sys.argv[2].encode()]\n"
		 "z = zipfile.ZipFile(\"utf8.zip\", \"w\")\n"
		 "[z.writestr(a, b) for a, b in zip(n, d)]\n"
		 "z.close()\n"
		 "t = tarfile.open(\"utf8.tar.gz\", \"w:gz\", format=tarfile.PAX_FORMAT)\n"
		 "for a, b in zip(n, d):\n"
		 "    i = tarfile.TarInfo(a); i.size = len(b); t.addfile(i, io.BytesIO(b))\n"
		 "t.close()' '%s' '%s'", fx->arch, pdf_b, yaml_b);
	assert_int_equal(system(cmd), 0);
	snprintf(pdf, sizeof pdf, "%s.pdf", name);
	snprintf(yaml, sizeof yaml, "%s.yaml", name);

	if (extract(fx, "utf8.zip", 1000, 1024 * MiB, &e) != 0)
		fail_msg("utf8.zip refused: %s: %s", e.code, e.detail);
	assert_int_equal(dest_files(fx), 2);
	assert_member(fx, pdf, pdf_b, strlen(pdf_b));
	assert_member(fx, yaml, yaml_b, strlen(yaml_b));
	clear_dest(fx);
	if (extract(fx, "utf8.tar.gz", 1000, 1024 * MiB, &e) != 0)
		fail_msg("utf8.tar.gz refused: %s: %s", e.code, e.detail);
	assert_int_equal(dest_files(fx), 2);
	assert_member(fx, pdf, pdf_b, strlen(pdf_b));
	assert_contained(fx);
}

/* The archive itself is opened O_NOFOLLOW: a symlink in its place is refused. */
static void
test_archive_is_symlink(void **state)
{
	struct fixture *fx = *state;
	char path[256], target[256];

	mkarchive(fx, "asli.zip", ZIP, good, 2);
	snprintf(target, sizeof target, "%s/asli.zip", fx->arch);
	snprintf(path, sizeof path, "%s/tautan.zip", fx->arch);
	assert_int_equal(symlink(target, path), 0);
	refused(fx, "tautan.zip", 1000, 1024 * MiB, "bundle.corrupt");
	assert_int_equal(dest_files(fx), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_targz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_tar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_flattened, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dotdot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dotdot_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hardlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices_and_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hidden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backslash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_byte_limit_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_byte_limit_targz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_byte_limit_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_an_archive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_archive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_archive_is_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_member_name, setup, teardown),
	};
	fill_big();
	return cmocka_run_group_tests_name("bundle", tests, NULL, NULL);
}
