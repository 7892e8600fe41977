// A streaming ZIP writer: each entry is compressed (raw DEFLATE, the platform's CompressionStream) as
// its text arrives, and its CRC and sizes follow the data in a data descriptor (APPNOTE.TXT 4.3.9), so
// nothing but the current chunk is held in memory. Bytes go to a sink as they are produced; the central
// directory is written at the end. No ZIP64: an archive stays under 4 GiB (the writer refuses more).
const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 continued over more bytes (start from 0). */
export function crc32(bytes: Uint8Array, previous = 0): number {
	let crc = previous ^ 0xffffffff;
	for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time of an instant (UTC: ZIP stores no zone), as the entry headers carry them. */
export function dosDateTime(ms: number): { date: number; time: number } {
	const d = new Date(ms);
	const year = Math.max(1980, d.getUTCFullYear());
	return {
		date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
		time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
	};
}

const LIMIT = 0xffffffff;
const FLAGS = 0x0808; // sizes in a data descriptor, UTF-8 names
const DEFLATE = 8;

export type Sink = (bytes: Uint8Array) => Promise<void>;

export class ZipWriter {
	private offset = 0;
	private readonly central: Uint8Array[] = [];
	private entries = 0;
	private readonly stamp: { date: number; time: number };
	private readonly encoder = new TextEncoder();

	constructor(
		private readonly sink: Sink,
		modifiedMs = Date.now(),
	) {
		// Without a date every entry reads 1980-01-01 (all zeros) in archive tools.
		this.stamp = dosDateTime(modifiedMs);
	}

	private async emit(bytes: Uint8Array): Promise<void> {
		if (this.offset + bytes.length > LIMIT) throw new Error("the archive would pass 4 GiB");
		this.offset += bytes.length;
		await this.sink(bytes);
	}

	/** Adds one file whose text arrives in chunks (a string, or pages from a cursor). */
	async add(name: string, content: string | AsyncIterable<string> | Iterable<string>): Promise<void> {
		const nameBytes = this.encoder.encode(name);
		const start = this.offset;
		const local = new DataView(new ArrayBuffer(30));
		local.setUint32(0, 0x04034b50, true);
		local.setUint16(4, 20, true); // version needed
		local.setUint16(6, FLAGS, true);
		local.setUint16(8, DEFLATE, true);
		local.setUint16(10, this.stamp.time, true);
		local.setUint16(12, this.stamp.date, true);
		local.setUint16(26, nameBytes.length, true);
		await this.emit(new Uint8Array(local.buffer));
		await this.emit(nameBytes);

		const deflate = new CompressionStream("deflate-raw");
		const writer = deflate.writable.getWriter();
		let compressed = 0;
		const pumping = (async () => {
			const reader = deflate.readable.getReader();
			for (;;) {
				const { done, value } = await reader.read();
				if (done) return;
				compressed += value.length;
				await this.emit(value);
			}
		})();
		let crc = 0;
		let size = 0;
		try {
			for await (const chunk of typeof content === "string" ? [content] : content) {
				const bytes = this.encoder.encode(chunk);
				crc = crc32(bytes, crc);
				size += bytes.length;
				await writer.write(bytes);
			}
			await writer.close();
		} catch (error) {
			await writer.abort(error).catch(() => {});
			throw error;
		} finally {
			await pumping;
		}
		if (size > LIMIT) throw new Error(`${name} would pass 4 GiB`);

		const descriptor = new DataView(new ArrayBuffer(16));
		descriptor.setUint32(0, 0x08074b50, true);
		descriptor.setUint32(4, crc, true);
		descriptor.setUint32(8, compressed, true);
		descriptor.setUint32(12, size, true);
		await this.emit(new Uint8Array(descriptor.buffer));

		const entry = new DataView(new ArrayBuffer(46));
		entry.setUint32(0, 0x02014b50, true);
		entry.setUint16(4, 20, true);
		entry.setUint16(6, 20, true);
		entry.setUint16(8, FLAGS, true);
		entry.setUint16(10, DEFLATE, true);
		entry.setUint16(12, this.stamp.time, true);
		entry.setUint16(14, this.stamp.date, true);
		entry.setUint32(16, crc, true);
		entry.setUint32(20, compressed, true);
		entry.setUint32(24, size, true);
		entry.setUint16(28, nameBytes.length, true);
		entry.setUint32(42, start, true);
		this.central.push(new Uint8Array(entry.buffer), nameBytes);
		this.entries++;
	}

	/** Writes the central directory and the end record; returns the archive's size in bytes. */
	async finish(): Promise<number> {
		const centralStart = this.offset;
		for (const part of this.central) await this.emit(part);
		const end = new DataView(new ArrayBuffer(22));
		end.setUint32(0, 0x06054b50, true);
		end.setUint16(8, this.entries, true);
		end.setUint16(10, this.entries, true);
		end.setUint32(12, this.offset - centralStart, true);
		end.setUint32(16, centralStart, true);
		await this.emit(new Uint8Array(end.buffer));
		return this.offset;
	}
}
