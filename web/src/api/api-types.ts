import type { operations } from './schema.d.ts'

// Names for the answers pages use, taken from the generated document: never written by hand.
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never
type Ok<O extends keyof operations> = operations[O]['responses'] extends { 200: infer R }
  ? Json<R>
  : operations[O]['responses'] extends { 201: infer R }
    ? Json<R>
    : never
type Body<O extends keyof operations> = operations[O] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never

export type Advertiser = Ok<'getAdvertiser'>
export type Offer = Ok<'getOffer'>
export type Affiliate = Ok<'getAffiliate'>
export type Conversion = Ok<'listConversions'>['data'][number]
export type Click = Ok<'getClick'>
export type Delivery = Ok<'listDeliveries'>['data'][number]
export type PostbackLogLine = Ok<'listPostbackLog'>['data'][number]
export type Report = Ok<'getReport'>
export type AdvertiserInput = Body<'createAdvertiser'>
export type OfferInput = Body<'createOffer'>
export type AffiliateInput = Body<'createAffiliate'>
export type CreatedAffiliate = Ok<'createAffiliate'>
export type Me = Ok<'getMe'>
export type User = NonNullable<Me['user']>
export type Role = User['role']
export type CreatedUser = Ok<'createUser'>
export type UserChange = Body<'updateUser'>
export type ApiKey = Ok<'listApiKeys'>['data'][number]
export type CreatedApiKey = Ok<'createApiKey'>
export type ApiKeyInput = Body<'createApiKey'>
export type AuditEntry = Ok<'listAuditLog'>['data'][number]
export type Endpoint = Ok<'getEndpoint'>
export type EndpointInput = Body<'createEndpoint'>
export type EndpointChange = Body<'updateEndpoint'>
export type EndpointTest = Ok<'testEndpoint'>
export type FraudRules = Body<'putFraudSettings'>
