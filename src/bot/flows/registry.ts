import { awayFlow } from "../features/away.js";
import { broadcastFlow } from "../features/broadcast.js";
import { inviteListFlow } from "../features/invite-list.js";
import { leaveFlow } from "../features/leave.js";
import { membersFlow } from "../features/members.js";
import { planUploadFlow } from "../features/plan-upload.js";
import { eraseFlow } from "../features/privacy.js";
import { replyStepFlow } from "../features/reminder-reply.js";
import { reportFlow } from "../features/report.js";
import type { RegisteredFlow } from "./flow.js";

/** Every multi-step flow, for the router (router.ts): a new flow is one more feature file and one more line here. */
export const flows: readonly RegisteredFlow[] = [
  reportFlow,
  broadcastFlow,
  planUploadFlow,
  inviteListFlow,
  membersFlow,
  leaveFlow,
  eraseFlow,
  replyStepFlow,
  awayFlow,
];
