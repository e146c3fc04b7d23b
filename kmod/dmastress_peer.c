// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_peer.c - peer memory: a BAR window another device's DMA targets
 *
 * A peer window is MMIO that behaves as memory: what a bus-master writes
 * into it, the CPU reads back through the BAR, and the reverse. An NVMe
 * controller's controller memory buffer (CMB) is one: the nvme engine
 * registers the CMB of each controller it takes (dmastress_nvme_init()).
 * The resource path and the phys path's MMIO runs then map a piece of a
 * peer's window for *another* device (dma_map_resource(), dma_map_phys()
 * with DMA_ATTR_MMIO), the device moves the run's bytes into and out of
 * it, and the CPU verifies them through the BAR: peer-to-peer DMA checked
 * end to end, which edu's own BAR (register space, reads all-ones) cannot
 * give.
 *
 * A run takes pieces of whole pages (a bitmap of the window's pages) and
 * holds a reference on the window while it does; removing the provider
 * first unlinks the window (later pieces fail with -ENODEV) and then waits
 * for the pieces out to be returned, which takes at most one op of each
 * run using them.
 */
#include <linux/bitmap.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/pci-p2pdma.h>
#include <linux/string.h>

#include "dmastress.h"

/* Bytes of the self-test at registration. */
#define DMASTRESS_PEER_PROBE_BYTES	64

static DEFINE_MUTEX(dmastress_peers_lock);	/* the list and the bitmaps */
static LIST_HEAD(dmastress_peers);

/**
 * dmastress_peer_add() - register a BAR window as peer memory
 * @owner: the device that provides it
 * @peer: its state, zeroed, living as long as @owner's driver data
 * @va: the window, ioremapped (the owner keeps the mapping until
 *	dmastress_peer_remove() returned)
 * @phys: the window's CPU physical address
 * @len: bytes; whole pages are used, at most DMASTRESS_PEER_MAX_BYTES
 *
 * Writes a pattern through @va and reads it back first: a window that does
 * not keep what the CPU writes (register space, a BAR that drops writes) is
 * refused. The window is then zeroed and offered to every other device's
 * resource and phys (MMIO) runs. Process context, takes the peer lock.
 *
 * Return: 0, -EINVAL when @len holds no page, -EIO when the window does not
 * keep the pattern, -ENOMEM.
 */
int dmastress_peer_add(struct dmastress_dev *owner, struct dmastress_peer *peer,
		       void __iomem *va, phys_addr_t phys, size_t len)
{
	u8 out[DMASTRESS_PEER_PROBE_BYTES], in[DMASTRESS_PEER_PROBE_BYTES];
	unsigned int i;

	len = min_t(size_t, len, DMASTRESS_PEER_MAX_BYTES);
	if (len < PAGE_SIZE || !PAGE_ALIGNED(phys))
		return -EINVAL;
	for (i = 0; i < sizeof(out); i++)
		out[i] = 0xa5 ^ (i * 7);
	memcpy_toio(va, out, sizeof(out));
	memcpy_fromio(in, va, sizeof(in));
	if (memcmp(in, out, sizeof(out)))
		return -EIO;
	memset_io(va, 0, len);

	peer->pages = len >> PAGE_SHIFT;
	peer->map = bitmap_zalloc(peer->pages, GFP_KERNEL);
	if (!peer->map)
		return -ENOMEM;
	peer->owner = owner;
	peer->va = va;
	peer->phys = phys;
	peer->len = peer->pages << PAGE_SHIFT;
	atomic_set(&peer->users, 0);
	init_waitqueue_head(&peer->idle);
	mutex_lock(&dmastress_peers_lock);
	list_add_tail(&peer->node, &dmastress_peers);
	mutex_unlock(&dmastress_peers_lock);
	dev_info(owner->dev, "peer memory: %zu bytes at %pa\n", peer->len,
		 &peer->phys);
	return 0;
}

/**
 * dmastress_peer_remove() - withdraw a peer window
 * @peer: registered by dmastress_peer_add(), or never (then a no-op)
 *
 * Unlinks it, then waits until every piece taken from it is put back (the
 * runs of other devices holding them fail their next piece with -ENODEV
 * and end). Process context, sleeps; call before the window is unmapped.
 */
void dmastress_peer_remove(struct dmastress_peer *peer)
{
	if (!peer->map)
		return;
	mutex_lock(&dmastress_peers_lock);
	list_del(&peer->node);
	mutex_unlock(&dmastress_peers_lock);
	wait_event(peer->idle, !atomic_read(&peer->users));
	bitmap_free(peer->map);
	peer->map = NULL;
}

/* The first window of another device; the peer lock held. */
static struct dmastress_peer *dmastress_peer_find(struct dmastress_dev *dd)
{
	struct dmastress_peer *peer;

	list_for_each_entry(peer, &dmastress_peers, node)
		if (peer->owner != dd)
			return peer;
	return NULL;
}

/* The first window of another device with P2PDMA memory; the lock held. */
static struct dmastress_peer *dmastress_peer_find_p2p(struct dmastress_dev *dd)
{
	struct dmastress_peer *peer;

	list_for_each_entry(peer, &dmastress_peers, node)
		if (peer->owner != dd && peer->p2p)
			return peer;
	return NULL;
}

/**
 * dmastress_peer_window() - the peer window a device's runs would use
 * @dd: the bus-master
 * @phys: out, the window's CPU physical address, or NULL
 * @name: out, the provider's name ("dmastress2"), or NULL
 *
 * Process context, takes the peer lock.
 *
 * Return: the window's bytes, 0 when no other device provides one.
 */
size_t dmastress_peer_window(struct dmastress_dev *dd, phys_addr_t *phys,
			     const char **name)
{
	struct dmastress_peer *peer;
	size_t len = 0;

	mutex_lock(&dmastress_peers_lock);
	peer = dmastress_peer_find(dd);
	if (peer) {
		len = peer->len;
		if (phys)
			*phys = peer->phys;
		if (name)
			*name = peer->owner->name;
	}
	mutex_unlock(&dmastress_peers_lock);
	return len;
}

/**
 * dmastress_peer_get() - take a piece of another device's peer window
 * @dd: the bus-master that will map it
 * @len: bytes, > 0; the piece is whole pages
 * @piece: out, the piece's CPU mapping and physical address
 *
 * Process context, takes the peer lock.
 *
 * Return: 0; -ENODEV when no other device provides a window (or it is
 * being removed), -ENOMEM when the window has no free run of pages that
 * long.
 */
int dmastress_peer_get(struct dmastress_dev *dd, size_t len,
		       struct dmastress_peer_piece *piece)
{
	unsigned long n = DIV_ROUND_UP(len, PAGE_SIZE), first;
	struct dmastress_peer *peer;
	int ret = 0;

	mutex_lock(&dmastress_peers_lock);
	peer = dmastress_peer_find(dd);
	if (!peer) {
		ret = -ENODEV;
		goto out;
	}
	first = bitmap_find_next_zero_area(peer->map, peer->pages, 0, n, 0);
	if (!len || first >= peer->pages) {
		ret = -ENOMEM;
		goto out;
	}
	bitmap_set(peer->map, first, n);
	atomic_inc(&peer->users);
	piece->peer = peer;
	piece->first = first;
	piece->pages = n;
	piece->va = peer->va + (first << PAGE_SHIFT);
	piece->phys = peer->phys + (first << PAGE_SHIFT);
out:
	mutex_unlock(&dmastress_peers_lock);
	return ret;
}

/**
 * dmastress_peer_put() - give a piece back
 * @piece: from dmastress_peer_get(), or zeroed (then a no-op)
 *
 * Process context, takes the peer lock.
 */
void dmastress_peer_put(struct dmastress_peer_piece *piece)
{
	struct dmastress_peer *peer = piece->peer;

	if (!peer)
		return;
	mutex_lock(&dmastress_peers_lock);
	if (piece->p2p_va)
		pci_free_p2pmem(peer->p2p, piece->p2p_va, piece->p2p_len);
	else
		bitmap_clear(peer->map, piece->first, piece->pages);
	mutex_unlock(&dmastress_peers_lock);
	piece->peer = NULL;
	piece->p2p_va = NULL;
	if (atomic_dec_and_test(&peer->users))
		wake_up(&peer->idle);
}

/**
 * dmastress_peer_write() - the CPU writes a piece through the BAR
 * @piece: from dmastress_peer_get(), or zeroed (then a no-op)
 * @src: kernel memory
 * @len: bytes, at most the piece's
 *
 * Any context that may touch MMIO (process, here).
 */
void dmastress_peer_write(struct dmastress_peer_piece *piece, const void *src,
			  size_t len)
{
	if (piece->peer)
		memcpy_toio(piece->va, src,
			    min_t(size_t, len, piece->pages << PAGE_SHIFT));
}

/**
 * dmastress_peer_read() - the CPU reads a piece through the BAR
 * @piece: from dmastress_peer_get(), or zeroed (then a no-op)
 * @dst: kernel memory
 * @len: bytes, at most the piece's
 *
 * Any context that may touch MMIO (process, here).
 */
void dmastress_peer_read(struct dmastress_peer_piece *piece, void *dst,
			 size_t len)
{
	if (piece->peer)
		memcpy_fromio(dst, piece->va,
			      min_t(size_t, len, piece->pages << PAGE_SHIFT));
}

/**
 * dmastress_peer_add_p2p() - offer part of a peer's BAR as P2PDMA memory
 * @peer: registered by dmastress_peer_add(), not yet in use
 * @pdev: its provider
 * @bar: the BAR
 * @offset: bytes into the BAR, past the window @peer->va maps
 * @len: bytes, a multiple of 2 MiB (memremap_pages() takes subsections)
 *
 * pci_p2pdma_add_resource() gives the range struct pages (ZONE_DEVICE)
 * that pci_alloc_p2pmem() hands out and dma_map_sgtable() maps as P2P
 * pages: the p2pdma path's memory. Without CONFIG_PCI_P2PDMA (Debian's
 * 6.1 and 6.12) it fails and the peer has none. Process context.
 */
void dmastress_peer_add_p2p(struct dmastress_peer *peer, struct pci_dev *pdev,
			    int bar, u64 offset, size_t len)
{
	int ret;

	if (!IS_ENABLED(CONFIG_PCI_P2PDMA) || !peer->map)
		return;
	ret = pci_p2pdma_add_resource(pdev, bar, len, offset);
	if (ret) {
		pci_info(pdev, "no P2PDMA memory (pci_p2pdma_add_resource(): %d)\n",
			 ret);
		return;
	}
	mutex_lock(&dmastress_peers_lock);
	peer->p2p = pdev;
	peer->p2p_len = len;
	mutex_unlock(&dmastress_peers_lock);
	pci_info(pdev, "P2PDMA memory for dmastress: %zu bytes of BAR%d at offset %llu\n",
		 len, bar, offset);
}

/**
 * dmastress_peer_p2p_window() - the P2PDMA memory a device's runs would use
 * @dd: the client, the bus-master
 * @distance: out, pci_p2pdma_distance() from the provider to @dd, negative
 *	when the kernel refuses P2P DMA between them (the first refusal of a
 *	provider logs why)
 *
 * Process context, takes the peer lock.
 *
 * Return: bytes of another device's P2PDMA memory, 0 when none.
 */
size_t dmastress_peer_p2p_window(struct dmastress_dev *dd, int *distance)
{
	struct dmastress_peer *peer;
	size_t len = 0;

	*distance = -1;
	mutex_lock(&dmastress_peers_lock);
	peer = dmastress_peer_find_p2p(dd);
	if (peer) {
		len = peer->p2p_len;
		*distance = pci_p2pdma_distance(peer->p2p, dd->dev,
						!peer->p2p_logged);
		if (*distance < 0)
			peer->p2p_logged = true;
	}
	mutex_unlock(&dmastress_peers_lock);
	return len;
}

/**
 * dmastress_peer_get_p2p() - take P2PDMA memory of another device
 * @dd: the client that will map it
 * @len: bytes, > 0
 * @piece: out, @piece->p2p_va the memory (struct pages, CPU-addressable)
 *
 * Give it back with dmastress_peer_put(). Process context, takes the peer
 * lock.
 *
 * Return: 0; -ENODEV when no other device has P2PDMA memory, -ENOMEM when
 * pci_alloc_p2pmem() has no @len bytes free.
 */
int dmastress_peer_get_p2p(struct dmastress_dev *dd, size_t len,
			   struct dmastress_peer_piece *piece)
{
	struct dmastress_peer *peer;
	int ret = 0;

	memset(piece, 0, sizeof(*piece));
	mutex_lock(&dmastress_peers_lock);
	peer = dmastress_peer_find_p2p(dd);
	if (!peer) {
		ret = -ENODEV;
		goto out;
	}
	piece->p2p_va = len ? pci_alloc_p2pmem(peer->p2p, len) : NULL;
	if (!piece->p2p_va) {
		ret = -ENOMEM;
		goto out;
	}
	piece->p2p_len = len;
	piece->peer = peer;
	atomic_inc(&peer->users);
out:
	mutex_unlock(&dmastress_peers_lock);
	return ret;
}
