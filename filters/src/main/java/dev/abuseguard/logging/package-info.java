/**
 * Structured (key=value) log lines that text from outside cannot forge: {@link dev.abuseguard.logging.LogValue}.
 */
package dev.abuseguard.logging;
