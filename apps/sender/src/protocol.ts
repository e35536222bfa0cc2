// The frame encoders the sender shares with the receivers.
export {
  crc32,
  cutImageName,
  DEVICE_HEADER_BYTES,
  DEVICE_SYNC_WORD,
  DeviceFramer,
  encodeDeviceFrame,
  encodeImageFrame,
  encodeLengthPrefixed,
  IMAGE_HEADER_BYTES,
  IMAGE_NAME_BYTES,
  imageNameFits,
  takesLongNameFrame,
} from '@sluice/protocol';
