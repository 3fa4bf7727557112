/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/drivers/ns16550.c - polled 16550 UART driver (COM1 and
 * friends), the hypervisor's serial console.
 */
#include <mica/lib.h>
#include <mica/console.h>
#include <mica/serial.h>
#include <asm/io.h>

#define UART_CLOCK  115200
#define THR 0   /* transmit holding */
#define RBR 0   /* receive buffer */
#define DLL 0   /* divisor latch low (DLAB=1) */
#define IER 1
#define DLM 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define LCR_DLAB 0x80
#define LCR_8N1  0x03

static uint16_t uart_port;

static void uart_putc(char c)
{
    /* Bounded wait: a missing or wedged UART must not hang the machine. */
    for (int i = 0; i < 100000 && !(inb(uart_port + LSR) & LSR_THRE); i++)
        asm volatile("pause");
    outb(uart_port + THR, c);
}

static void uart_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

static struct console_driver uart_console = {
    .name = "com1",
    .write = uart_write,
};

uint16_t serial_port(void)
{
    return uart_port;
}

int serial_getc(void)
{
    if (!uart_port || !(inb(uart_port + LSR) & LSR_DR))
        return -1;
    return inb(uart_port + RBR);
}

void serial_init(uint16_t port, unsigned int baud)
{
    unsigned int div = baud ? UART_CLOCK / baud : 1;

    if (!div)
        div = 1;
    uart_port = port;
    outb(port + IER, 0);                /* polled: no UART interrupts */
    outb(port + LCR, LCR_DLAB);
    outb(port + DLL, div & 0xff);
    outb(port + DLM, div >> 8);
    outb(port + LCR, LCR_8N1);
    outb(port + FCR, 0x07);             /* enable and clear FIFOs */
    outb(port + MCR, 0x03);             /* DTR | RTS */
    console_register(&uart_console);
}
