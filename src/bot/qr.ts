/**
 * The QR code of an invite link as PNG bytes, made to survive printing and Telegram's photo
 * compression: error correction level M (a smudge or a fold still scans), the standard quiet
 * zone of four modules, and 12 pixels per module (about 500 pixels wide for a deep link).
 */
export async function inviteQrPng(link: string): Promise<Buffer> {
  // Loaded on the first invite: most of the bot's life needs no QR code.
  const { default: QRCode } = await import("qrcode");
  return QRCode.toBuffer(link, { type: "png", errorCorrectionLevel: "M", margin: 4, scale: 12 });
}
