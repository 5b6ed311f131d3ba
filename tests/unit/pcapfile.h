/* pcapfile: the first frame of a classic libpcap file, for tests that
 * read the captures in ../shared/lldp-captures. */

#ifndef LOCPHONE_PCAPFILE_H
#define LOCPHONE_PCAPFILE_H

#include <stddef.h>
#include <stdint.h>

/* Largest frame read: the captures' longest is 2130 octets. */
#define PCAPFILE_FRAME_MAX 65535

/*
 * Read the first record of the classic pcap file at path (24-octet file
 * header, 16-octet record header, either byte order, link type Ethernet)
 * into buf (PCAPFILE_FRAME_MAX octets); *lenp is the captured length.
 * 0, or an errno value with a line on stderr saying why.
 */
int pcapfile_first(const char *path, uint8_t *buf, size_t *lenp);

#endif
