// The frame encoders the sender shares with the receivers. They are imported from their
// modules directly because the package index does not export the device frame yet;
// once it does, these can come from '@sluice/protocol'.
export { encodeImageFrame, IMAGE_HEADER_BYTES, IMAGE_NAME_BYTES } from '@sluice/protocol';
export { encodeLengthPrefixed } from '@sluice/protocol';
export {
  DEVICE_HEADER_BYTES,
  DEVICE_SYNC_WORD,
  DeviceFramer,
  encodeDeviceFrame,
} from '@sluice/protocol';
export { crc32 } from '../../../packages/protocol/src/framing/crc32';
