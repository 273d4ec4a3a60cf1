/** Files users and the bot exchanged: bytes by file_id and by download path, photos in sizes. */
import { randomBytes } from "node:crypto";
import { clone, type PhotoSize, type TgDocument } from "./bot-api.js";

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  kind: "photo" | "document";
  bytes: Buffer;
  file_path: string;
  file_name?: string;
  mime_type?: string;
  width?: number;
  height?: number;
}

const MIME_BY_EXT: Record<string, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xls: "application/vnd.ms-excel",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
  csv: "text/csv",
  txt: "text/plain",
  json: "application/json",
  zip: "application/zip",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

function randomId(prefix: string, length: number): string {
  return prefix + randomBytes(length).toString("base64url").slice(0, length);
}

function extOf(fileName: string | undefined): string | undefined {
  const m = fileName ? /\.([A-Za-z0-9]+)$/.exec(fileName) : null;
  return m?.[1]?.toLowerCase();
}

/** Image width/height of PNG or JPEG bytes, or null when the bytes are not a recognised image. */
export function imageInfo(bytes: Buffer): { format: string; width?: number; height?: number } | null {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { format: "png", width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = bytes[i + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: "jpeg", height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
      }
      i += 2 + bytes.readUInt16BE(i + 2);
    }
    return { format: "jpeg" };
  }
  const head = bytes.subarray(0, 12).toString("latin1");
  if (head.startsWith("GIF8")) return { format: "gif", width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WEBP") return { format: "webp" };
  if (head.startsWith("BM")) return { format: "bmp" };
  return null;
}

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private readonly photoSets = new Map<string, PhotoSize[]>();
  private counter = 0;

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  /** The file behind a download URL's path (`documents/file_3.csv`). */
  atPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }

  /** The sizes of the photo a file_id belongs to ([] when unknown). */
  photoSizes(fileId: string): PhotoSize[] {
    return clone(this.photoSets.get(fileId) ?? []);
  }

  register(kind: StoredFile["kind"], bytes: Buffer, extra: Partial<StoredFile> = {}): StoredFile {
    const n = ++this.counter;
    const ext = extOf(extra.file_name) ?? (kind === "photo" ? "jpg" : "dat");
    const file: StoredFile = {
      file_id: randomId(kind === "photo" ? "AgACAgUAAxkBAAI" : "BQACAgUAAxkBAAI", 48),
      file_unique_id: randomId(kind === "photo" ? "AQAD" : "AgAD", 12),
      kind,
      bytes: Buffer.from(bytes),
      file_path: `${kind === "photo" ? "photos" : "documents"}/file_${n}.${ext}`,
      ...extra,
    };
    if (kind === "document" && !file.mime_type) file.mime_type = MIME_BY_EXT[ext] ?? "application/octet-stream";
    this.byId.set(file.file_id, file);
    this.byPath.set(file.file_path, file);
    return file;
  }

  /** Registers a photo in two sizes (thumbnail and full) and returns the PhotoSize array. */
  registerPhoto(bytes: Buffer): PhotoSize[] {
    const info = imageInfo(bytes);
    const width = info?.width ?? 1280;
    const height = info?.height ?? 960;
    const scale = Math.min(1, 90 / Math.max(width, height, 1));
    const small = this.register("photo", bytes, { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) });
    const large = this.register("photo", bytes, { width, height });
    const sizes = [small, large].map((f) => ({
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.bytes.length,
      width: f.width,
      height: f.height,
    }));
    this.photoSets.set(small.file_id, sizes);
    this.photoSets.set(large.file_id, sizes);
    return clone(sizes);
  }
}

export function documentObject(file: StoredFile): TgDocument {
  const doc: TgDocument = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length };
  if (file.file_name !== undefined) doc.file_name = file.file_name;
  if (file.mime_type !== undefined) doc.mime_type = file.mime_type;
  return doc;
}
