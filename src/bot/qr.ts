import QRCode from "qrcode";

/**
 * The QR code of an invite link as PNG bytes, made to survive printing and Telegram's photo
 * compression: error correction level M (a smudge or a fold still scans), the standard quiet
 * zone of four modules, and 12 pixels per module (about 500 pixels wide for a deep link).
 */
export function inviteQrPng(link: string): Promise<Buffer> {
  return QRCode.toBuffer(link, { type: "png", errorCorrectionLevel: "M", margin: 4, scale: 12 });
}
