// Reads a ZIP archive the way archive tools do — from its central directory — inflating DEFLATE entries
// with the platform's DecompressionStream: file name → text. Checks each entry's CRC-32.
import { crc32 } from "../../src/exports/zip.ts";

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
	const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
		.stream()
		.pipeThrough(new DecompressionStream("deflate-raw"));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function unzip(bytes: Uint8Array): Promise<Record<string, string>> {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const end = bytes.byteLength - 22;
	if (view.getUint32(end, true) !== 0x06054b50) throw new Error("no end of central directory record");
	const count = view.getUint16(end + 10, true);
	let at = view.getUint32(end + 16, true);
	const files: Record<string, string> = {};
	for (let i = 0; i < count; i++) {
		if (view.getUint32(at, true) !== 0x02014b50) throw new Error("bad central directory entry");
		const method = view.getUint16(at + 10, true);
		const crc = view.getUint32(at + 16, true);
		const compressed = view.getUint32(at + 20, true);
		const nameLength = view.getUint16(at + 28, true);
		const extraLength = view.getUint16(at + 30, true);
		const commentLength = view.getUint16(at + 32, true);
		const local = view.getUint32(at + 42, true);
		const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
		const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
		const raw = bytes.subarray(dataStart, dataStart + compressed);
		const data = method === 8 ? await inflate(raw) : raw;
		if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
		files[name] = new TextDecoder().decode(data);
		at += 46 + nameLength + extraLength + commentLength;
	}
	return files;
}
