import type { Command } from '../command.js';
import { deviceCommand } from './device.js';
import { imagesCommand } from './images.js';
import { kafkaCommand } from './kafka.js';
import { messagesCommand } from './messages.js';
import { textCommand } from './text.js';

/** Every subcommand, in the order the overview lists them. */
export const commands: readonly Command[] = [imagesCommand, messagesCommand, textCommand, deviceCommand, kafkaCommand];
