// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: the maps, programs and BTF each user created through
 * bpfdev, so that the user can list them (BPF_*_GET_NEXT_ID) and open them
 * again (BPF_*_GET_FD_BY_ID), and nobody else's.
 *
 * bpf(2) answers these commands only to CAP_SYS_ADMIN, and kern_sys_bpf()
 * does not run them at all (its allowlist has MAP_GET_FD_BY_ID only); no
 * function that finds an object by its ID is exported. So a module can
 * reach an object only through a reference it keeps, and the registry
 * keeps one per entry: a map's refcount (not its user count, whose drop
 * empties prog arrays and breaks reference cycles as it always did), a
 * program's refcount. An entry whose reference is the object's last is
 * dead for everyone else: it is dropped, and the object freed, at the next
 * sweep (the start of a listing by its user, every JIT budget check, and
 * once a second while the registry is not empty). An object thus outlives
 * its last other holder by up to a second for each object that held it.
 *
 * BTF has no exported reference (btf_get(), btf_put(), btf_obj_id() are
 * static or not exported): an entry holds the BTF object's file, the one
 * BPF_BTF_LOAD made, and hands out that file again for its ID, which
 * show_fdinfo() prints. The file is dead for everyone else when only the
 * registry holds it; so that the BTF of a live map or program stays listed
 * after its loader closed it, the entry of a map or program created with a
 * registered BTF holds that file too (@btf_of), until it is dropped itself.
 * Kernel and module BTF are not listed: no exported function reaches them
 * by ID, and kern_sys_bpf() does not run BPF_BTF_GET_FD_BY_ID.
 *
 * The registry counts what the JIT images of its programs take, for the
 * user's JIT budget (users.c): an entry holds its program, so the image
 * exists exactly as long as the entry (freed just after it).
 *
 * An ID is never handed out for another object: the kernel frees an ID
 * when the object's refcount reaches zero, and the entry is removed before
 * its reference is dropped, so while the entry exists its ID names it.
 *
 * An entry is made only for a file bpfdev created for its caller: another
 * thread may dup2() any file onto the new fd number before bpfdev looks, so
 * the file at that number counts only if its credentials are the ones the
 * call ran with (creds.c: the open file's cached ones, which no file gets
 * but one this caller created through this open file) and its file
 * operations are the kind's. Such a map or BTF file that is not this
 * call's is one of the caller's own objects, recorded by its own call too
 * (xa_insert() keeps one entry per ID). A program's must be this call's:
 * its credentials were lent to this call alone, and a program loaded
 * after the call began (load_time) with them can only be the call's.
 */
#include <linux/anon_inodes.h>
#include <linux/bpf.h>
#include <linux/cred.h>
#include <linux/extable.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "bpfdev.h"
#include "compat.h"
#include "testhooks.h"

enum { OBJ_MAP, OBJ_PROG, OBJ_BTF };

/* The name bpf(2) gives each kind's files, and their operations. */
static const char *const obj_name[BPFDEV_OBJ_KINDS] = {
	[OBJ_MAP] = "bpf-map",
	[OBJ_PROG] = "bpf-prog",
	[OBJ_BTF] = "btf",
};

/*
 * bpf_map_fops and bpf_prog_fops are not exported: learned from the first
 * file of each kind that passed the check above, which can only be one.
 */
static const struct file_operations *obj_fops[BPFDEV_OBJ_KINDS];

/* Every registry that holds an entry, for the sweep */
static LIST_HEAD(registries);
static DEFINE_MUTEX(registries_lock);
static void objects_sweep_all(struct work_struct *work);
static DECLARE_DELAYED_WORK(sweep_work, objects_sweep_all);

/* Each kind's commands: the one that makes it, and the two that find it */
static const struct {
	u32 make, next_id, get_fd;
} obj_cmds[BPFDEV_OBJ_KINDS] = {
	[OBJ_MAP] = { BPF_MAP_CREATE, BPF_MAP_GET_NEXT_ID,
		      BPF_MAP_GET_FD_BY_ID },
	[OBJ_PROG] = { BPF_PROG_LOAD, BPF_PROG_GET_NEXT_ID,
		       BPF_PROG_GET_FD_BY_ID },
	[OBJ_BTF] = { BPF_BTF_LOAD, BPF_BTF_GET_NEXT_ID,
		      BPF_BTF_GET_FD_BY_ID },
};

/* The kind @cmd makes or finds, or -1 */
static int obj_kind(u32 cmd)
{
	int kind;

	for (kind = 0; kind < BPFDEV_OBJ_KINDS; kind++)
		if (cmd == obj_cmds[kind].make ||
		    cmd == obj_cmds[kind].next_id ||
		    cmd == obj_cmds[kind].get_fd)
			return kind;
	return -1;
}

/**
 * bpfdev_objects_cmd() - is @cmd answered from the registry?
 * @cmd: a bpf command
 *
 * Return: whether @cmd is in the uapi's BPFDEV_CMDS_OWN, each of which
 * obj_cmds names (bpfdev_objects_check()).
 */
bool bpfdev_objects_cmd(u32 cmd)
{
	return cmd < 64 && (BPFDEV_CMDS_OWN & BIT_ULL(cmd));
}

/**
 * bpfdev_objects_check() - do the uapi's and the registry's lists agree?
 *
 * Return: 0, or -EINVAL (a build that would answer a command as no kind).
 */
int __init bpfdev_objects_check(void)
{
	u64 own = 0;
	int kind;

	for (kind = 0; kind < BPFDEV_OBJ_KINDS; kind++)
		own |= BIT_ULL(obj_cmds[kind].next_id) |
		       BIT_ULL(obj_cmds[kind].get_fd);
	return WARN_ON(own != BPFDEV_CMDS_OWN) ? -EINVAL : 0;
}

/**
 * bpfdev_objects_made() - does @cmd make an object the registry records?
 * @cmd: a bpf command
 *
 * Return: whether it is BPF_MAP_CREATE, BPF_PROG_LOAD or BPF_BTF_LOAD, whose
 * call gets credentials of its own (bpfdev_objects_add()).
 */
bool bpfdev_objects_made(u32 cmd)
{
	int kind = obj_kind(cmd);

	return kind >= 0 && cmd == obj_cmds[kind].make;
}

/**
 * bpfdev_objects_listing() - is @cmd one of the *_GET_NEXT_ID?
 * @cmd: a command bpfdev_objects_cmd() is true of
 */
bool bpfdev_objects_listing(u32 cmd)
{
	int kind = obj_kind(cmd);

	return kind >= 0 && cmd == obj_cmds[kind].next_id;
}

/**
 * bpfdev_objects_maker() - the command that makes what @cmd finds
 * @cmd: a command bpfdev_objects_cmd() is true of
 *
 * Return: BPF_MAP_CREATE, BPF_PROG_LOAD or BPF_BTF_LOAD.
 */
u32 bpfdev_objects_maker(u32 cmd)
{
	return obj_cmds[obj_kind(cmd)].make;
}

/*
 * The ID of the BTF object of a BTF file, as its show_fdinfo() prints it
 * (bpf_btf_show_fdinfo(): "btf_id:\t%u\n"); 0 if it does not.
 */
static u32 btf_file_id(struct file *file)
{
	static const char key[] = "btf_id:\t";
	char buf[32];
	struct seq_file m = { .buf = buf, .size = sizeof(buf) };
	u32 id;

	if (!file->f_op->show_fdinfo)
		return 0;
	file->f_op->show_fdinfo(&m, file);
	if (m.count >= m.size)
		return 0;
	buf[m.count] = '\0';
	/* the number and its newline, which kstrtou32() allows */
	if (strncmp(buf, key, sizeof(key) - 1) ||
	    kstrtou32(buf + sizeof(key) - 1, 10, &id))
		return 0;
	return id;
}

static u32 obj_id(int kind, void *obj)
{
	if (kind == OBJ_MAP)
		return ((struct bpf_map *)obj)->id;
	if (kind == OBJ_PROG)
		return ((struct bpf_prog *)obj)->aux->id;
	return btf_file_id(obj);
}

/* Does the registry hold the object's last reference? */
static bool obj_only_ours(int kind, void *obj)
{
	if (kind == OBJ_MAP)
		return atomic64_read(&((struct bpf_map *)obj)->refcnt) == 1;
	if (kind == OBJ_PROG)
		return atomic64_read(&((struct bpf_prog *)obj)->aux->refcnt) == 1;
	return file_count((struct file *)obj) == 1;
}

static bool obj_visible(struct bpfdev_objects *reg, int kind, void *obj,
			const struct bpfdev_grant *grant);

/*
 * BTF describes the maps and programs made with it (their types, function
 * names, source lines): visible only where each of them is. O(entries).
 */
static bool btf_visible(struct bpfdev_objects *reg, struct file *btf,
			const struct bpfdev_grant *grant)
{
	unsigned long id;
	struct file *f;
	void *obj;
	int kind;

	for (kind = 0; kind < BPFDEV_OBJ_BTF_USERS; kind++) {
		xa_for_each(&reg->btf_of[kind], id, f) {
			obj = f == btf ? xa_load(&reg->ids[kind], id) : NULL;
			if (obj && !obj_visible(reg, kind, obj, grant))
				return false;
		}
	}
	return true;
}

/*
 * Is the object one the file's grant could have created? A narrowed file,
 * or one whose grant root changed, reopens no more than that.
 */
static bool obj_visible(struct bpfdev_objects *reg, int kind, void *obj,
			const struct bpfdev_grant *grant)
{
	const struct bpf_prog *prog = obj;
	int at;

	if (kind == OBJ_BTF)
		return btf_visible(reg, obj, grant);
	if (kind == OBJ_MAP)
		return bpfdev_mask_has(grant->maps,
				       ((struct bpf_map *)obj)->map_type);
	at = bpfdev_prog_attach_type(prog->type, prog->expected_attach_type);
	return bpfdev_mask_has(grant->progs, prog->type) &&
	       (at == BPFDEV_ATTACH_NONE || bpfdev_mask_has(grant->attachs, at));
}

/* bpf_map_put_uref() and the put of bpf_map_put_with_uref(): not exported */
static void map_put_with_uref(struct bpf_map *map)
{
	if (atomic64_dec_and_test(&map->usercnt) && map->ops->map_release_uref)
		map->ops->map_release_uref(map);
	bpf_map_put(map);
}

/*
 * Is the object gone for its user? Only the registry holds it, or it is a
 * map whose every user reference went (its prog arrays emptied, its
 * timers freed: bpf(2) brings it back only for CAP_SYS_ADMIN), though a
 * program may still use it.
 */
static bool obj_gone(int kind, void *obj)
{
	return obj_only_ours(kind, obj) ||
	       (kind == OBJ_MAP &&
		!atomic64_read(&((struct bpf_map *)obj)->usercnt));
}

static void obj_put(int kind, void *obj)
{
	if (kind == OBJ_MAP)
		bpf_map_put(obj);
	else if (kind == OBJ_PROG)
		bpf_prog_put(obj);
	else
		fput(obj);
}

/*
 * What one JITed function's image takes: bpf_jit_binary_pack_alloc()'s
 * size for its code, aligned, and its exception table.
 */
static u32 func_jit_bytes(const struct bpf_prog *func)
{
	return round_up(round_up(func->jited_len, 4) +
			func->aux->num_exentries *
			sizeof(struct exception_table_entry) + 64, 64);
}

/*
 * What a program's JIT image takes, all its functions', hidden ones
 * included. What this reads is set at load and kept until the program is
 * freed, so an entry adds and takes away the same.
 */
static u32 prog_jit_bytes(const struct bpf_prog *prog)
{
	u32 i, n = BPFDEV_PROG_FUNCS(prog->aux), bytes = 0;

	if (!n || !prog->aux->func)
		return func_jit_bytes(prog);
	for (i = 0; i < n; i++)
		bytes += func_jit_bytes(prog->aux->func[i]);
	return bytes;
}

/* Drop an entry of @reg, and its hold on its BTF's file. reg->lock held. */
static void obj_drop(struct bpfdev_objects *reg, int kind, unsigned long id,
		     void *obj)
{
	struct file *btf = NULL;

	xa_erase(&reg->ids[kind], id);
	if (kind == OBJ_PROG)
		WRITE_ONCE(reg->jit_bytes,
			   reg->jit_bytes - prog_jit_bytes(obj));
	if (kind < BPFDEV_OBJ_BTF_USERS)
		btf = xa_erase(&reg->btf_of[kind], id);
	obj_put(kind, obj);
	if (btf)
		fput(btf);
}

/**
 * bpfdev_objects_init() - an empty registry
 * @reg: the registry, in its user's entry
 */
void bpfdev_objects_init(struct bpfdev_objects *reg)
{
	int kind;

	mutex_init(&reg->lock);
	INIT_LIST_HEAD(&reg->node);
	for (kind = 0; kind < BPFDEV_OBJ_KINDS; kind++)
		xa_init(&reg->ids[kind]);
	for (kind = 0; kind < BPFDEV_OBJ_BTF_USERS; kind++)
		xa_init(&reg->btf_of[kind]);
}

/*
 * Drop the entries only the registry still holds. reg->lock held. BTF last:
 * a map or program dropped lets go of its BTF's file in the same sweep.
 */
static bool objects_sweep_locked(struct bpfdev_objects *reg)
{
	bool left = false;
	unsigned long id;
	void *obj;
	int kind;

	for (kind = 0; kind < BPFDEV_OBJ_KINDS; kind++) {
		xa_for_each(&reg->ids[kind], id, obj) {
			if (!obj_only_ours(kind, obj)) {
				left = true;
				continue;
			}
			obj_drop(reg, kind, id, obj);
			cond_resched();
		}
	}
	return left;
}

/**
 * bpfdev_objects_sweep() - drop the entries of objects nobody else holds
 * @reg: the registry
 */
void bpfdev_objects_sweep(struct bpfdev_objects *reg)
{
	mutex_lock(&reg->lock);
	objects_sweep_locked(reg);
	mutex_unlock(&reg->lock);
}

static void objects_sweep_all(struct work_struct *work)
{
	struct bpfdev_objects *reg;
	bool left = false;

	mutex_lock(&registries_lock);
	list_for_each_entry(reg, &registries, node) {
		/* a registry in use is swept by its user, or next time */
		if (!mutex_trylock(&reg->lock)) {
			left = true;
			continue;
		}
		left |= objects_sweep_locked(reg);
		mutex_unlock(&reg->lock);
		cond_resched();
	}
	if (left)
		schedule_delayed_work(&sweep_work, BPFDEV_OBJECTS_SWEEP);
	mutex_unlock(&registries_lock);
}

/*
 * Is @file one of the kind's, bpf(2)'s anon inode file of that name? Its
 * file operations are learned from the first one, and are then enough.
 */
static bool obj_file_is(int kind, const struct file *file)
{
	const struct file_operations *known = READ_ONCE(obj_fops[kind]);

	if (known)
		return known == file->f_op;
	if (strcmp(file->f_path.dentry->d_name.name, obj_name[kind]))
		return false;
	known = cmpxchg(&obj_fops[kind], NULL, file->f_op);
	return !known || known == file->f_op;
}

/*
 * The file of the BTF a new map or program was created with, if the fd the
 * attr named still holds it: another thread may have put another file at
 * that number since. NULL for an object without BTF.
 */
static struct file *obj_btf_file(int kind, void *obj,
				 const union bpf_attr *attr)
{
	const struct btf *btf;
	struct file *file;

	if (kind == OBJ_MAP)
		btf = ((struct bpf_map *)obj)->btf;
	else if (kind == OBJ_PROG)
		btf = ((struct bpf_prog *)obj)->aux->btf;
	else
		return NULL;
	if (!btf)
		return NULL;
	file = fget(kind == OBJ_MAP ? attr->btf_fd : attr->prog_btf_fd);
	if (file && (file->f_op != READ_ONCE(obj_fops[OBJ_BTF]) ||
		     file->private_data != btf)) {
		fput(file);
		file = NULL;
	}
	return file;
}

/*
 * Enter @obj, holding a reference already, and, if its BTF is a registered
 * one (@btf: that BTF's file, or NULL), hold that entry's file for it.
 */
static int obj_insert(struct bpfdev_objects *reg, int kind, void *obj,
		      struct file *btf)
{
	u32 id = obj_id(kind, obj);
	int err;

	if (!id)
		return -EINVAL;
	mutex_lock(&reg->lock);
	err = xa_insert(&reg->ids[kind], id, obj, GFP_KERNEL_ACCOUNT);
	if (!err && kind == OBJ_PROG)
		WRITE_ONCE(reg->jit_bytes,
			   reg->jit_bytes + prog_jit_bytes(obj));
	if (!err && btf && xa_load(&reg->ids[OBJ_BTF], btf_file_id(btf)) == btf &&
	    !xa_insert(&reg->btf_of[kind], id, btf, GFP_KERNEL_ACCOUNT))
		get_file(btf);
	mutex_unlock(&reg->lock);
	return err;
}

/**
 * bpfdev_objects_add() - record the object a call created
 * @reg: the caller's registry
 * @req: the request, a kernel copy; only BPF_MAP_CREATE, BPF_PROG_LOAD and
 *	BPF_BTF_LOAD record anything
 * @fd: what the call returned
 * @cred: the credentials the call ran with (bpfdev_call_with_caps())
 *
 * An object that cannot be recorded (no memory) works as before; it is
 * only missing from its user's listing, and a program's image is charged
 * for the profile's lifetime (users.c).
 *
 * Return: whether the file at @fd was entered, by this call.
 */
bool bpfdev_objects_add(struct bpfdev_objects *reg,
			const struct bpfdev_request *req, int fd,
			const struct cred *cred)
{
	int kind = obj_kind(req->cmd);
	struct file *file, *btf;
	bool any_creds, added = false;
	void *obj;

	if (kind < 0 || fd < 0 || !cred)
		return false;
	any_creds = bpfdev_test_record_any_creds();
	file = fget(fd);
	if (!file)
		return false;
	if ((file->f_cred != cred && !any_creds) || !obj_file_is(kind, file))
		goto out;
	obj = file->private_data;
	/* credentials lent to this call alone: an earlier load's program */
	if (kind == OBJ_PROG && !any_creds &&
	    ((struct bpf_prog *)obj)->aux->load_time <= req->after)
		goto out;
	if (kind == OBJ_MAP)
		bpf_map_inc(obj);
	else if (kind == OBJ_PROG)
		bpf_prog_inc(obj);
	else
		obj = get_file(file);

	btf = obj_btf_file(kind, obj, &req->attr);
	added = !obj_insert(reg, kind, obj, btf);
	if (btf)
		fput(btf);
	if (!added) {
		obj_put(kind, obj);
		goto out;
	}
	/* listed once, until the profile goes; the sweep comes back */
	if (list_empty(&reg->node)) {
		mutex_lock(&registries_lock);
		if (list_empty(&reg->node))
			list_add(&reg->node, &registries);
		mutex_unlock(&registries_lock);
	}
	schedule_delayed_work(&sweep_work, BPFDEV_OBJECTS_SWEEP);
out:
	fput(file);
	return added;
}

/**
 * bpfdev_objects_jit() - what the JIT images of a registry's programs take
 * @reg: the registry
 *
 * Return: the sum, in bytes, of the images of the programs it holds an
 * entry of: each exists as long as its entry.
 */
u64 bpfdev_objects_jit(struct bpfdev_objects *reg)
{
	return READ_ONCE(reg->jit_bytes);
}

/**
 * bpfdev_objects_next_id() - BPF_{MAP,PROG,BTF}_GET_NEXT_ID, the caller's
 * @reg: the caller's registry, or NULL if it never created anything
 * @cmd: the command
 * @grant: the effective grant of the file asked through
 * @start: the ID to start after
 * @next: filled in: the caller's next object's ID
 *
 * A listing starts at 0: the registry is swept then, and each step skips
 * what died since, so that a whole listing costs O(entries).
 *
 * Return: 0, -ENOENT past the last, -EINVAL as bpf(2) would.
 */
int bpfdev_objects_next_id(struct bpfdev_objects *reg, int cmd,
			   const struct bpfdev_grant *grant, u32 start,
			   u32 *next)
{
	int kind = obj_kind(cmd);
	unsigned long id = start;
	void *obj;

	if (start >= INT_MAX)
		return -EINVAL;
	if (!reg)
		return -ENOENT;
	mutex_lock(&reg->lock);
	if (!start)
		objects_sweep_locked(reg);
	do {
		obj = xa_find_after(&reg->ids[kind], &id, INT_MAX, XA_PRESENT);
	} while (obj && (obj_gone(kind, obj) ||
			 !obj_visible(reg, kind, obj, grant)));
	mutex_unlock(&reg->lock);
	if (!obj)
		return -ENOENT;
	*next = id;
	return 0;
}

/* bpf_get_file_flag(): the file flags of a map's open_flags */
static int obj_open_flags(int kind, u32 open_flags)
{
	if (kind == OBJ_PROG)
		return O_RDWR;
	if (kind == OBJ_BTF)
		return O_RDONLY;
	if (open_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;
	if ((open_flags & BPF_F_RDONLY) && (open_flags & BPF_F_WRONLY))
		return -EINVAL;
	if (open_flags & BPF_F_RDONLY)
		return O_RDONLY;
	if (open_flags & BPF_F_WRONLY)
		return O_WRONLY;
	return O_RDWR;
}

/**
 * bpfdev_objects_get_fd() - BPF_{MAP,PROG,BTF}_GET_FD_BY_ID, the caller's
 * @reg: the caller's registry, or NULL if it never created anything
 * @cmd: the command
 * @grant: the effective grant of the file asked through
 * @id: the object's ID
 * @open_flags: BPF_F_RDONLY or BPF_F_WRONLY for a map, or 0
 *
 * A map's or program's new file is made as bpf(2) makes it
 * (bpf_map_new_fd(), bpf_prog_new_fd()), with the caller's own
 * credentials, less the LSM's security_bpf_map()/security_bpf_prog()
 * check, which is not exported. A BTF object's is the file BPF_BTF_LOAD
 * made, shared (its f_cred the loading call's, which nothing in the kernel
 * consults for BTF): no reference to a BTF object is exported to make
 * another.
 *
 * Return: a new fd (close-on-exec), or -ENOENT for an ID that is not one
 * of the caller's live objects, -EINVAL, -EMFILE, -ENOMEM.
 */
int bpfdev_objects_get_fd(struct bpfdev_objects *reg, int cmd,
			  const struct bpfdev_grant *grant, u32 id,
			  u32 open_flags)
{
	int kind = obj_kind(cmd), flags = obj_open_flags(kind, open_flags);
	struct file *file;
	void *obj;
	int fd;

	if (flags < 0)
		return flags;
	if (!reg)
		return -ENOENT;
	mutex_lock(&reg->lock);
	obj = xa_load(&reg->ids[kind], id);
	if (!obj || obj_gone(kind, obj) || !obj_visible(reg, kind, obj, grant)) {
		mutex_unlock(&reg->lock);
		return -ENOENT;
	}
	/* as bpf(2): an unknown ID is ENOENT before the fd table is full */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		mutex_unlock(&reg->lock);
		return fd;
	}
	/* the very file BPF_BTF_LOAD made, as O_RDONLY as bpf(2)'s */
	if (kind == OBJ_BTF) {
		file = get_file(obj);
		goto out;
	}
	/*
	 * The references the file's release drops; a map's user reference
	 * only if it still has one (obj_gone() looked before, racily).
	 */
	if (kind == OBJ_MAP) {
		if (!atomic64_inc_not_zero(&((struct bpf_map *)obj)->usercnt)) {
			file = ERR_PTR(-ENOENT);
			goto out;
		}
		bpf_map_inc(obj);
	} else {
		bpf_prog_inc(obj);
	}
	file = anon_inode_getfile(obj_name[kind], obj_fops[kind], obj, flags);
	if (IS_ERR(file)) {
		if (kind == OBJ_MAP)
			map_put_with_uref(obj);
		else
			bpf_prog_put(obj);
	}
out:
	mutex_unlock(&reg->lock);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

/**
 * bpfdev_objects_stop() - stop the sweep, at unload
 */
void bpfdev_objects_stop(void)
{
	cancel_delayed_work_sync(&sweep_work);
}

/**
 * bpfdev_objects_free() - drop every entry of a registry, when its user's
 *	profile goes (for /dev/bpf, at unload)
 * @reg: the registry, which no request is using
 */
void bpfdev_objects_free(struct bpfdev_objects *reg)
{
	unsigned long id;
	void *obj;
	int kind;

	/* out of the sweep's list: the sweep holds the lock while it runs */
	mutex_lock(&registries_lock);
	list_del_init(&reg->node);
	mutex_unlock(&registries_lock);

	for (kind = 0; kind < BPFDEV_OBJ_KINDS; kind++) {
		xa_for_each(&reg->ids[kind], id, obj)
			obj_drop(reg, kind, id, obj);
		xa_destroy(&reg->ids[kind]);
	}
	for (kind = 0; kind < BPFDEV_OBJ_BTF_USERS; kind++)
		xa_destroy(&reg->btf_of[kind]);
	mutex_destroy(&reg->lock);
}
