import { defineDomainErrors, ErrorKind } from '@tongfa/core';

export enum MediaError {
  NotFound = 'MEDIA_NOT_FOUND',
  Missing = 'MEDIA_FILE_MISSING',
  TooLarge = 'MEDIA_TOO_LARGE',
  UnsupportedType = 'MEDIA_UNSUPPORTED_TYPE',
  SvgRefused = 'MEDIA_SVG_REFUSED',
  TooManyPixels = 'MEDIA_TOO_MANY_PIXELS',
  Corrupt = 'MEDIA_CORRUPT',
}

export class MediaException extends defineDomainErrors<MediaError>({
  [MediaError.NotFound]: { kind: ErrorKind.NotFound, message: { zh: '文件不存在或无权访问', en: 'Media not found' } },
  [MediaError.Missing]: { kind: ErrorKind.Invalid, message: { zh: '请选择要上传的文件（file）', en: 'Attach a file as "file"' } },
  [MediaError.TooLarge]: { kind: ErrorKind.Invalid, message: { zh: '文件超过 {limit} 的上限', en: 'The file exceeds {limit}' } },
  [MediaError.UnsupportedType]: {
    kind: ErrorKind.Invalid,
    message: {
      zh: '不支持的文件类型（{type}）；图片请用 JPEG/PNG/WebP/GIF，视频请用 MP4',
      en: 'Unsupported type ({type}): images JPEG/PNG/WebP/GIF, video MP4',
    },
  },
  [MediaError.SvgRefused]: {
    kind: ErrorKind.Invalid,
    message: { zh: '出于安全原因不接受 SVG，请导出为 PNG 后上传', en: 'SVG is refused for safety; export it as PNG' },
  },
  [MediaError.TooManyPixels]: {
    kind: ErrorKind.Invalid,
    message: { zh: '图片像素过多（超过 {limit} 万像素）', en: 'The image has too many pixels (over {limit} ten-thousand)' },
  },
  [MediaError.Corrupt]: { kind: ErrorKind.Invalid, message: { zh: '文件已损坏或无法解析', en: 'The file is corrupt or unreadable' } },
}) {}
