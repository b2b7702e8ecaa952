/*
 * export - the model of a trace as tables for engines that query many
 * traces at once (DuckDB, ClickHouse...): processes, channels, operations,
 * transfers and flows, one file per table, as NDJSON or CSV.  Every row
 * names its host, so the exports of many hosts load as one dataset.  The
 * columns are documented in docs/export.md.
 *
 * Library code: 0 or -errno, never prints.
 */
#ifndef IPCTRACE_VIZ_EXPORT_H
#define IPCTRACE_VIZ_EXPORT_H

#include "model.h"

enum export_format { EXPORT_NDJSON, EXPORT_CSV };

/* Write the five tables into the directory DIRFD ("processes.ndjson"...),
 * creating or replacing regular files, never following a symlink.  The
 * name of the file being written when an error happened goes to *FAILED. */
int export_tables(const struct viz_model *m, int dirfd, enum export_format format,
		  const char **failed);
/* The same of the trace file PATH in one streaming load (model.h,
 * VIZ_LOAD_STREAM): operations and transfers are written as the byte
 * streams are matched, in bounded memory.  Ops are numbered in file order
 * among the streamed ones, then the others after them. */
int export_tables_file(const char *path, int dirfd, enum export_format format,
		       const char **failed);

#endif
