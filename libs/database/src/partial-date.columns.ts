import { type PartialDate, partialDateSortKey } from '#common';
import { Column } from 'typeorm';

/**
 * A partial date stored as written (`date`), with its `precision` and a `sort` date
 * (the first day it can mean) that indexes and orders correctly.
 * Embed with `@Column(() => PartialDateColumns, { prefix: 'from' })`.
 */
export class PartialDateColumns {
  @Column({ type: 'varchar', length: 10, nullable: true })
  date!: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  precision!: PartialDate['precision'] | null;

  @Column({ type: 'date', nullable: true })
  sort!: string | null;

  static from(value: PartialDate | null | undefined): PartialDateColumns {
    const columns = new PartialDateColumns();
    columns.date = value?.date ?? null;
    columns.precision = value?.precision ?? null;
    columns.sort = value ? partialDateSortKey(value) : null;
    return columns;
  }

  static toPartialDate(columns: PartialDateColumns | null | undefined): PartialDate | null {
    if (!columns?.date || !columns.precision) return null;
    return { date: columns.date, precision: columns.precision };
  }
}
