/* SPDX-License-Identifier: MIT */
/* mica/serial.h - the 16550 serial console. */
#ifndef MICA_SERIAL_H
#define MICA_SERIAL_H

#include <mica/types.h>

#define COM1_PORT 0x3f8
#define COM2_PORT 0x2f8

void serial_init(uint16_t port, unsigned int baud);
int serial_getc(void);      /* -1 when no byte is waiting */
uint16_t serial_port(void); /* the UART in use (8 ports from here), 0: none */

#endif
